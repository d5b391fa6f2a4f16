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
}
