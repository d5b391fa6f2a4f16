using System.Net;
using System.Text.Json;
using Metrics.Testing;

namespace Metrics.Worker.Tests.Operations;

/// <summary>Liveness and readiness of the real service process while its InfluxDB goes away and comes back.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task Ready_InfluxDbStoppedThenStarted_FailsNamingInfluxThenRecovers()
    {
        await using var influx = new InfluxDbProcess();
        await influx.StartAsync();
        await using var service = await ServiceUnderTest.CreateAsync(influx, simulate: false);
        await service.StartAsync();

        await ServiceUnderTest.EventuallyAsync(() => service.StatusAsync("/health/ready"), s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "ready");
        var (_, healthy) = await service.GetAsync("/health/ready");
        Assert.Equal("Healthy", Check(healthy, "influxdb"));
        Assert.Equal("Healthy", Check(healthy, "journal"));

        await influx.StopAsync();
        var (down, body) = await service.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down);
        Assert.Equal("Unhealthy", Check(body, "influxdb"));
        Assert.Equal("Healthy", Check(body, "journal"));
        // Liveness stays up: restarting the worker would not bring InfluxDB back.
        Assert.Equal(HttpStatusCode.OK, await service.StatusAsync("/health/live"));
        Assert.Equal(HttpStatusCode.OK, await service.StatusAsync("/healthz"));

        await influx.StartAsync();
        await ServiceUnderTest.EventuallyAsync(() => service.StatusAsync("/health/ready"), s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "ready again");
        var (_, recovered) = await service.GetAsync("/health/ready");
        Assert.Equal("Healthy", Check(recovered, "influxdb"));
    }

    private static string? Check(string body, string name)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("checks").GetProperty(name).GetProperty("status").GetString();
    }
}
