using Metrics.Worker.Cli;

return await MetricsCli.RunAsync(args, Console.Out, Console.Error);
