using System.Net;
using Metrics.Testing;
using Metrics.Testing.Golden;
using Metrics.Worker.Tests.Cli;
using Metrics.Worker.Tests.Operations;

namespace Metrics.Worker.Tests.Hosting;

/// <summary>The real service process against a real InfluxDB that goes away and comes back.</summary>
public sealed class KpiWorkerServiceTests
{
    [Fact]
    public async Task Run_InfluxDbDownThenBack_DirtyDaysAreWrittenOnceItReturns()
    {
        await using var influx = new InfluxDbProcess();
        await influx.StartAsync();
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var files = GoldenCompany.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        var loaded = await cli.RunAsync("import", "--directory", files.Directory, "--courses", files.Courses, "--events", files.Events, "--no-recompute");
        Assert.True(loaded.ExitCode == 0, loaded.Error);
        var port = ServiceUnderTest.FreePort();
        using var http = new HttpClient();

        using var service = new MetricsProcess(cli.WorkDirectory, ["run", "--urls", $"http://127.0.0.1:{port}", "--Worker:Interval", "00:00:01", .. cli.Settings]);

        await ServiceUnderTest.EventuallyAsync(
            async () => { try { return (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).StatusCode; } catch (HttpRequestException) { return HttpStatusCode.ServiceUnavailable; } },
            s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "/healthz answering");
        // /healthz answers before the first cycle has created the database, so a failed read only means "not yet".
        var before = await ServiceUnderTest.EventuallyAsync(() => ExportOrEmptyAsync(cli, GoldenCompany.DayA, GoldenCompany.DayA), p => p.Count > 0, TimeSpan.FromSeconds(60), "first KPIs written");
        Assert.Equal(2, before.Single(p => p.Department is null && p.Kpi == "active_ai_users" && p.Window == "1d").Value);

        await influx.StopAsync();
        var late = await cli.RunAsync("import", "--events", files.Late, "--no-recompute");
        Assert.True(late.ExitCode == 0, late.Error);
        await ServiceUnderTest.EventuallyAsync(() => Task.FromResult(service.Error + service.Output), log => log.Contains("KPI cycle failed", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "a failed cycle logged");

        await influx.StartAsync();
        var after = await ServiceUnderTest.EventuallyAsync(
            () => cli.ExportAsync(GoldenCompany.DayA, GoldenCompany.DayB),
            // Both days: the recompute writes day A before day B, and a read between the two would see half of it.
            p => IsGolden(p, GoldenCompany.DayA) && IsGolden(p, GoldenCompany.DayB),
            TimeSpan.FromSeconds(60), "the late event written after InfluxDB returned");
        ImportGoldenTests.AssertGolden(after, GoldenCompany.DayA);
        ImportGoldenTests.AssertGolden(after, GoldenCompany.DayB);
        Assert.False(service.HasExited, service.Error);
    }

    private static async Task<List<ExportedPoint>> ExportOrEmptyAsync(CliRunner cli, DateOnly from, DateOnly to)
    {
        var result = await cli.RunAsync("kpis", "--from", $"{from:yyyy-MM-dd}", "--to", $"{to:yyyy-MM-dd}", "--format", "jsonl");
        return result.ExitCode == 0
            ? result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(CliRunner.ParseLine).ToList()
            : [];
    }

    private static bool IsGolden(List<ExportedPoint> points, DateOnly day)
    {
        try
        {
            ImportGoldenTests.AssertGolden(points, day);
            return true;
        }
        catch (Xunit.Sdk.XunitException)
        {
            return false;
        }
    }
}
