using Metrics.Demo;
using Metrics.Worker.Cli;

return await MetricsCli.InvokeTerminableAsync(DemoCommand.Build(Console.Out, Console.Error), args);
