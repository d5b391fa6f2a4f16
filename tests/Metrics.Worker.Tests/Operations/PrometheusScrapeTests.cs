using Metrics.Testing;

namespace Metrics.Worker.Tests.Operations;

/// <summary>A real Prometheus scrapes the running worker after it synced the simulator and wrote KPIs to a real InfluxDB.</summary>
public sealed class PrometheusScrapeTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    private const string Job = "metrics-worker";

    /// <summary>Every label a worker series may carry: anything else could be unbounded or identify a person.</summary>
    private static readonly HashSet<string> AllowedLabels = ["__name__", "job", "instance", "otel_scope_name", "otel_scope_version", "source", "outcome", "api", "check", "le"];

    private static readonly Dictionary<string, HashSet<string>> AllowedValues = new()
    {
        ["source"] = ["directory", "lms", "lowcode", "ticketing", "m365copilot", "githubcopilot"],
        ["outcome"] = ["success", "failure"],
        ["api"] = ["v1", "v2"],
        ["check"] = ["influxdb", "journal", "cycle"],
    };

    [Fact]
    public async Task Run_SyncAndCycle_PrometheusReadsTheExpectedSeries()
    {
        await using var service = await ServiceUnderTest.CreateAsync(influx, simulate: true);
        await service.StartAsync();
        await using var prometheus = new PrometheusProcess($"127.0.0.1:{service.Port}", Job);
        await prometheus.StartAsync();

        async Task<double> Value(string promql)
        {
            var samples = await prometheus.QueryAsync(promql);
            return samples.Count == 0 ? double.NaN : samples.Sum(s => s.Value);
        }

        // One successful cycle after the first sync: the KPIs are written and nothing waits any more.
        await ServiceUnderTest.EventuallyAsync(
            () => Value($"metrics_cycle_duration_seconds_count{{job=\"{Job}\",outcome=\"success\"}}"), v => v >= 1, TimeSpan.FromSeconds(120),
            "a successful cycle scraped");
        await ServiceUnderTest.EventuallyAsync(
            () => Value($"metrics_kpi_dirty_days{{job=\"{Job}\"}}"), v => v == 0, TimeSpan.FromSeconds(60), "no dirty day left");

        foreach (var source in new[] { "lms", "lowcode", "ticketing" })
        {
            Assert.True(await Value($"metrics_source_pages_total{{job=\"{Job}\",source=\"{source}\"}}") >= 1, source + " pages");
            Assert.True(await Value($"metrics_source_events_total{{job=\"{Job}\",source=\"{source}\"}}") >= 1, source + " events");
            Assert.True(await Value($"metrics_source_request_duration_seconds_count{{job=\"{Job}\",source=\"{source}\"}}") >= 1, source + " requests");
            Assert.True(await Value($"metrics_source_syncs_total{{job=\"{Job}\",source=\"{source}\",outcome=\"success\"}}") >= 1, source + " syncs");
            Assert.Equal(0, await Value($"metrics_source_circuit_breaker_state{{job=\"{Job}\",source=\"{source}\"}}"));
            var lag = await Value($"metrics_source_checkpoint_lag_seconds{{job=\"{Job}\",source=\"{source}\"}}");
            // The simulated history ends before today: the newest event is hours, not weeks, old.
            Assert.InRange(lag, 0, TimeSpan.FromDays(3).TotalSeconds);
        }

        Assert.True(await Value($"metrics_influx_points_written_total{{job=\"{Job}\",api=\"v1\"}}") > 0);
        Assert.True(await Value($"metrics_influx_write_duration_seconds_count{{job=\"{Job}\",api=\"v1\",outcome=\"success\"}}") >= 1);
        Assert.True(double.IsNaN(await Value($"metrics_influx_write_failures_total{{job=\"{Job}\"}}")), "no write failed, so no failure series");
        var journal = await ServiceUnderTest.EventuallyAsync(
            () => Value($"metrics_journal_events{{job=\"{Job}\"}}"), v => v > 0, TimeSpan.FromSeconds(30), "journal size scraped");
        Assert.True(journal > 20, $"journal holds the simulated events ({journal})");
        var lastSuccess = await Value($"metrics_cycle_last_success_seconds{{job=\"{Job}\"}}");
        Assert.InRange(await Value("vector(time())") - lastSuccess, -5, 120);
        await ServiceUnderTest.EventuallyAsync(
            () => Value($"min(metrics_health_status{{job=\"{Job}\"}})"), v => v == 2, TimeSpan.FromSeconds(60), "every readiness check healthy in the gauge");

        // No series of the worker carries a label outside the bounded set, or a value outside its fixed set.
        var all = await prometheus.QueryAsync($"{{job=\"{Job}\",__name__=~\"metrics_.*\"}}");
        Assert.NotEmpty(all);
        foreach (var series in all)
        {
            foreach (var (label, value) in series.Labels)
            {
                Assert.True(AllowedLabels.Contains(label), $"unexpected label {label} on {series}");
                Assert.True(!AllowedValues.TryGetValue(label, out var allowed) || allowed.Contains(value), $"unexpected {label} value on {series}");
                Assert.DoesNotContain("@", value, StringComparison.Ordinal);
            }
        }
    }
}
