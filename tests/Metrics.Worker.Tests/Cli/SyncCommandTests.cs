using Metrics.Testing;

namespace Metrics.Worker.Tests.Cli;

public sealed class SyncCommandTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    [Fact]
    public async Task Sync_WithoutOnce_PointsToRun()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());

        var result = await cli.RunAsync("sync");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("sync needs --once", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_UnknownSource_FailsListingTheKnownOnes()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());

        var result = await cli.RunAsync("sync", "--once", "--source", "crm");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Unknown source 'crm'", result.Error, StringComparison.Ordinal);
        Assert.Contains("lms", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_ToBeforeFrom_FailsNamingTheOptions()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());

        var result = await cli.RunAsync("backfill", "--from", "2026-03-10", "--to", "2026-03-01");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--to 2026-03-01 is before --from 2026-03-10", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_EnabledSourceWithoutBaseUrl_FailsNamingTheSetting()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase(), extra: ["--Sources:Lms:Enabled", "true"]);

        var result = await cli.RunAsync("sync", "--once");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Sources:Lms:BaseUrl", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_SourceDownTwice_CountsConsecutiveFailuresInSourceHealth()
    {
        var database = influx.NewDatabase();
        using var cli = new CliRunner(influx.Url, database, extra:
        [
            "--Sources:Lms:Enabled", "true", "--Sources:Lms:BaseUrl", "http://127.0.0.1:9/xapi",
            "--Sources:Lms:Username", "reader", "--Sources:Lms:Password", "secret", "--Sources:Lms:CourseActivityPrefixes:0", "https://lms/courses/",
            "--Sources:Lms:Resilience:MaxRetries", "0", "--Sources:Lms:Resilience:AttemptTimeout", "00:00:01",
            "--Sources:Lms:Resilience:TotalTimeout", "00:00:02",
        ]);

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var result = await cli.RunAsync("sync", "--once");

            Assert.True(result.ExitCode == 1, result.Output + result.Error);
            Assert.Contains("lms: FAILED", result.Output, StringComparison.Ordinal);
        }

        var health = await influx.QueryAsync(database, "SELECT last(\"failures\") FROM \"source_health\" WHERE \"source\" = 'lms'");
        Assert.Contains(",2]]", health, StringComparison.Ordinal);
        Assert.DoesNotContain("last_success", await influx.QueryAsync(database, "SHOW FIELD KEYS FROM \"source_health\""), StringComparison.Ordinal);
    }
}
