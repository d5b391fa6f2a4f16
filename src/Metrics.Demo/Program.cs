using Metrics.Demo;

return await DemoCommand.Build(Console.Out, Console.Error).Parse(args).InvokeAsync();
