using System.Globalization;
using Metrics.Testing;

namespace Metrics.Demo.Tests;

public sealed class DemoCommandTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    [Fact]
    public async Task Demo_SmallCompanyTwice_BackfillsThroughTheConnectorsPrintsTheSummaryAndReusesItsState()
    {
        var state = Path.Combine(Path.GetTempPath(), "metrics-demo-" + Guid.NewGuid().ToString("N"));
        var database = influx.NewDatabase();
        string[] args = ["--exit-after-backfill", "--employees", "40", "--days", "30", "--influx-url", influx.Url, "--state", state, "--Influx:Database", database];
        try
        {
            var first = await RunAsync(args);

            Assert.True(first.Code == 0, first.Error);
            Assert.Contains("KPIs for", first.Output, StringComparison.Ordinal);
            Assert.Matches(@"\(org\)\s+4\d ", first.Output);
            Assert.Contains("Where to look next", first.Output, StringComparison.Ordinal);
            var digest = System.Text.RegularExpressions.Regex.Match(first.Output, @"Weekly digest:\s+(\S+\.html)");
            Assert.True(digest.Success, first.Output);
            Assert.StartsWith(state, digest.Groups[1].Value, StringComparison.Ordinal);
            Assert.Contains("data-kpi=\"ai_usage_rate\"", await File.ReadAllTextAsync(digest.Groups[1].Value), StringComparison.Ordinal);
            Assert.Contains("lms: ok", first.Error, StringComparison.Ordinal);
            Assert.Contains("recomputed", first.Error, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(state, "journal.db")));
            var points = await influx.QueryAsync(database, "SELECT COUNT(\"value\") FROM \"kpi\"");
            Assert.Matches(@"""values"":\[\[0,\d{3,}\]\]", points);

            // A second run reuses the journal and checkpoints: nothing new to pull, the same KPIs.
            var second = await RunAsync(args);

            Assert.True(second.Code == 0, second.Error);
            Assert.Contains("nothing to recompute", second.Error, StringComparison.Ordinal);
            Assert.Equal(points, await influx.QueryAsync(database, "SELECT COUNT(\"value\") FROM \"kpi\""));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_NoSimulator_PullsOnlyTheConfiguredSources()
    {
        var state = Path.Combine(Path.GetTempPath(), "metrics-demo-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await RunAsync(["--exit-after-backfill", "--no-simulator", "--influx-url", influx.Url, "--state", state, "--Influx:Database", influx.NewDatabase()]);

            Assert.True(result.Code == 0, result.Error);
            Assert.Contains("no simulator", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("lms:", result.Error, StringComparison.Ordinal);
            Assert.Contains("No KPIs stored", result.Output, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_UnreachableInfluxUrl_FailsNamingIt()
    {
        var result = await RunAsync(["--exit-after-backfill", "--influx-url", "http://127.0.0.1:9", "--state", Path.Combine(Path.GetTempPath(), "metrics-demo-unused")]);

        Assert.Equal(1, result.Code);
        Assert.Contains("--influx-url http://127.0.0.1:9 does not answer /ping", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_SigtermDuringTheBackfill_StopsAtOnceWith143AndTheNextRunCompletesTheBackfill()
    {
        var state = Path.Combine(Path.GetTempPath(), "metrics-demo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(state);
        // A year of 2,000 people: a backfill of many seconds, so the signal lands inside it.
        string[] args = ["--employees", "2000", "--days", "365", "--influx-url", influx.Url, "--state", state, "--Influx:Database", influx.NewDatabase()];
        try
        {
            using (var demo = new MetricsProcess(state, args, "metrics-demo.dll"))
            {
                Assert.True(await demo.WaitForErrorTextAsync("pulling the sources", TimeSpan.FromMinutes(2)), demo.Error);
                await Task.Delay(TimeSpan.FromSeconds(1));
                var clock = System.Diagnostics.Stopwatch.StartNew();
                demo.Terminate();
                var exit = await demo.WaitForExitAsync(TimeSpan.FromMinutes(1));

                // Before the entry point handled SIGTERM, the host's console lifetime took it and the backfill went on.
                Assert.True(exit == 143, $"exit {exit} after {clock.Elapsed.TotalSeconds:F1} s: {demo.Error}");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"SIGTERM took {clock.Elapsed.TotalSeconds:F1} s");
                Assert.DoesNotContain("backfill done", demo.Error, StringComparison.Ordinal);
            }

            var next = await RunAsync(["--exit-after-backfill", .. args]);

            Assert.True(next.Code == 0, next.Error);
            Assert.Contains("lms: ok", next.Error, StringComparison.Ordinal);
            Assert.Contains("Where to look next", next.Output, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(state, recursive: true);
        }
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await DemoCommand.Build(output, error).Parse(args).InvokeAsync();
        return (code, output.ToString(), error.ToString());
    }
}
