using System.Globalization;
using Metrics.Simulator.Hosting;

namespace Metrics.Simulator.Tests.Hosting;

public sealed class SimulatorCliHealthTests
{
    [Fact]
    public async Task RunAsync_HealthOfARunningSimulator_ExitsZero()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Employees = 20, Days = 14 });
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);

        var code = await SimulatorCli.RunAsync(["health", new Uri(simulator.BaseUrl, "healthz").AbsoluteUri], output, error);

        Assert.Equal(0, code);
        Assert.Equal("200", output.ToString().Trim());
    }

    [Fact]
    public async Task RunAsync_HealthOfNothing_ExitsOneWithTheReason()
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);

        var code = await SimulatorCli.RunAsync(["health", "http://127.0.0.1:9/healthz"], output, error);

        Assert.Equal(1, code);
        Assert.StartsWith("unhealthy:", error.ToString(), StringComparison.Ordinal);
    }
}
