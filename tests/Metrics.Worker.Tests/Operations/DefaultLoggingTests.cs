using Metrics.Testing;

namespace Metrics.Worker.Tests.Operations;

/// <summary>What a person sees at the default log level while the service (as the demo runs it) syncs the simulator.</summary>
public sealed class DefaultLoggingTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    [Fact]
    public async Task Run_DefaultLogLevel_OneLinePerSourceSyncAndRecomputeNoResilienceAttempts()
    {
        await using var service = await ServiceUnderTest.CreateAsync(influx, simulate: true);
        await service.StartAsync("--Logging:Format", "json");

        await ServiceUnderTest.EventuallyAsync(
            () => Task.FromResult(service.Process.Output),
            log => log.Contains("\"EventId\":1001", StringComparison.Ordinal),
            TimeSpan.FromSeconds(120), "KPIs recomputed");
        var logs = service.Process.Output + service.Process.Error;

        // The simulator's pages took many HTTP attempts; none is logged unless it is retried or fails.
        Assert.DoesNotContain("Execution attempt", logs, StringComparison.Ordinal);
        foreach (var source in new[] { "lms", "lowcode", "ticketing" })
        {
            Assert.Single(logs.Split('\n'), l => l.Contains("\"EventId\":3001", StringComparison.Ordinal) && l.Contains($"Source {source}:", StringComparison.Ordinal));
        }
    }
}
