using Metrics.Testing;
using Metrics.Testing.Golden;
using Metrics.Worker.Tests.Cli;

namespace Metrics.Worker.Tests.Hosting;

/// <summary>One-shot commands as a real process: their console logging follows the operator's level when one is given.</summary>
public sealed class WorkerHostTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("Information", true)]
    public async Task StartCliHostAsync_LoggingLevelDefault_InformationLinesOnlyWhenAsked(string? level, bool expectRecomputeLine)
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var files = GoldenCompany.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        var loaded = await cli.RunAsync("import", "--directory", files.Directory, "--courses", files.Courses, "--events", files.Events, "--no-recompute");
        Assert.True(loaded.ExitCode == 0, loaded.Error);
        string[] args = ["recompute", "--from", $"{GoldenCompany.DayA:yyyy-MM-dd}", "--to", $"{GoldenCompany.DayB:yyyy-MM-dd}", .. cli.Settings];
        if (level is not null)
        {
            args = [.. args, "--Logging:LogLevel:Default", level];
        }

        using var process = new MetricsProcess(cli.WorkDirectory, args);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(120));

        Assert.True(exit == 0, process.Error);
        // 1001 is the recompute's Information line ("Recomputed KPIs ... points from ... events").
        Assert.Equal(expectRecomputeLine, process.Error.Contains("Recomputed KPIs", StringComparison.Ordinal));
    }
}
