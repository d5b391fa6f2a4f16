using Metrics.Simulator.Hosting;

return await SimulatorCli.RunAsync(args, Console.Out, Console.Error);
