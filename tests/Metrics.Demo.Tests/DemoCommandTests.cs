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

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await DemoCommand.Build(output, error).Parse(args).InvokeAsync();
        return (code, output.ToString(), error.ToString());
    }
}
