using Metrics.Worker.Cli;

return await MetricsCli.Build(Console.Out, Console.Error).Parse(args).InvokeAsync();
