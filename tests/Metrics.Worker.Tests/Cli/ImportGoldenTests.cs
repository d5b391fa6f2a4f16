using Metrics.Testing;
using Metrics.Testing.Golden;

namespace Metrics.Worker.Tests.Cli;

/// <summary>
/// The golden company end to end: import through the real command line into the journal, KPIs written to a real
/// InfluxDB 1.6.7 (v1 write API) and to VictoriaMetrics (v2 write API), read back with <c>kpis --format jsonl</c>.
/// </summary>
public sealed class ImportGoldenTests(InfluxDbFixture influx, VictoriaMetricsFixture victoria)
    : IClassFixture<InfluxDbFixture>, IClassFixture<VictoriaMetricsFixture>
{
    private static async Task ImportGoldenAsync(CliRunner cli)
    {
        var files = GoldenCompany.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        var first = await cli.RunAsync("import", "--directory", files.Directory, "--courses", files.Courses, "--events", files.Events, "--to", $"{GoldenCompany.DayB:yyyy-MM-dd}");
        Assert.True(first.ExitCode == 0, first.Error);
        var late = await cli.RunAsync("import", "--events", files.Late, "--to", $"{GoldenCompany.DayB:yyyy-MM-dd}");
        Assert.True(late.ExitCode == 0, late.Error);
    }

    internal static void AssertGolden(IReadOnlyList<ExportedPoint> exported, DateOnly day)
    {
        var expected = GoldenCompany.Expected.Where(e => e.Date == day).ToDictionary(e => (e.Department, e.Kpi, e.Window, (string?)null), e => e.Value);
        foreach (var e in GoldenCompany.ExpectedByTool.Where(e => e.Date == day))
        {
            expected[(e.Department, "ai_tool_users", e.Window, e.Tool)] = e.Users;
            expected[(e.Department, "ai_tool_usage_rate", e.Window, e.Tool)] = (double)e.Users / GoldenCompany.Headcount(day, e.Department);
        }

        var actual = exported.Where(p => p.Date == day).ToList();
        foreach (var p in actual)
        {
            Assert.True(expected.TryGetValue((p.Department, p.Kpi, p.Window, p.Tool), out var value), $"unexpected {p}");
            Assert.True(Math.Abs(value - p.Value) < 1e-9, $"{p}: expected {value}");
        }

        var missing = expected.Keys.Except(actual.Select(p => (p.Department, p.Kpi, p.Window, p.Tool))).ToList();
        Assert.True(missing.Count == 0, $"{day}: missing {string.Join("; ", missing)}");
    }

    [Fact]
    public async Task Import_GoldenCompanyIntoInfluxDb16_ExportEqualsHandComputedKpis()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        await ImportGoldenAsync(cli);

        foreach (var day in new[] { GoldenCompany.DayA, GoldenCompany.DayB })
        {
            AssertGolden(await cli.ExportAsync(day, day), day);
        }
    }

    [Fact]
    public async Task Import_GoldenCompany_CountsAreIntegersAndRatiosDoublesInTheExport()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        await ImportGoldenAsync(cli);

        var result = await cli.RunAsync("kpis", "--from", "2026-03-03", "--to", "2026-03-03", "--format", "jsonl");

        Assert.Contains("""{"date":"2026-03-03","department":null,"kpi":"headcount","window":"day","value":12}""", result.Output, StringComparison.Ordinal);
        Assert.Contains("""{"date":"2026-03-03","department":"Engineering","kpi":"ai_decision_coverage","window":"1d","value":1.0}""", result.Output, StringComparison.Ordinal);
        Assert.Contains("""{"date":"2026-03-03","department":"(small groups)","kpi":"ai_usage_rate","window":"28d","value":0.3333333333333333}""", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_GoldenCompanyThroughV2WriteApi_VictoriaMetricsReceivesTheSamePointsAsInfluxDb()
    {
        using var v1 = new CliRunner(influx.Url, influx.NewDatabase());
        using var v2 = new CliRunner(victoria.Url, "golden", api: "v2");
        await ImportGoldenAsync(v1);
        // One import for VictoriaMetrics: it keeps every sample written (no delete API), so each point is written once.
        var files = GoldenCompany.WriteFiles(Path.Combine(v2.WorkDirectory, "in"));
        var all = Path.Combine(v2.WorkDirectory, "all.jsonl");
        await File.WriteAllTextAsync(all, GoldenCompany.Events + "\n" + GoldenCompany.LateEvents + "\n");
        var imported = await v2.RunAsync("import", "--directory", files.Directory, "--courses", files.Courses, "--events", all, "--to", $"{GoldenCompany.DayB:yyyy-MM-dd}");
        Assert.True(imported.ExitCode == 0, imported.Error);
        var fromInflux = await v1.ExportAsync(GoldenCompany.DayA, GoldenCompany.DayB);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(GoldenCompany.TimeZone);
        var expectedCount = fromInflux.Count;

        var series = await victoria.WaitForExportAsync("{__name__=~\"kpi_value|kpi_by_tool_value\"}", s => s.Sum(x => x.Values.Count) > expectedCount);
        var fromVictoria = series
            .SelectMany(s => s.Timestamps.Zip(s.Values, (t, v) => new ExportedPoint(
                DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(t), zone).DateTime),
                s.Labels.GetValueOrDefault("department"),
                s.Labels["kpi"],
                s.Labels["window"],
                v,
                s.Labels.GetValueOrDefault("tool"))))
            .Where(p => p.Date >= GoldenCompany.DayA && p.Date <= GoldenCompany.DayB)
            .ToList();

        // VictoriaMetrics keeps 12 significant digits of a float; the keys must match exactly, values to 1e-9.
        var victoriaByKey = fromVictoria.ToDictionary(p => (p.Date, p.Department, p.Kpi, p.Window, p.Tool), p => p.Value);
        var influxKeys = fromInflux.Select(p => (p.Date, p.Department, p.Kpi, p.Window, p.Tool)).ToHashSet();
        var onlyVictoria = victoriaByKey.Keys.Where(k => !influxKeys.Contains(k)).ToList();
        Assert.True(onlyVictoria.Count == 0, $"only in VictoriaMetrics: {string.Join("; ", onlyVictoria.Take(5))}");
        foreach (var p in fromInflux)
        {
            Assert.True(victoriaByKey.TryGetValue((p.Date, p.Department, p.Kpi, p.Window, p.Tool), out var v), $"only in InfluxDB: {p}");
            Assert.True(Math.Abs(v - p.Value) <= 1e-9 * Math.Max(1, Math.Abs(p.Value)), $"{p}: VictoriaMetrics has {v}");
        }

        AssertGolden(fromVictoria, GoldenCompany.DayA);
        AssertGolden(fromVictoria, GoldenCompany.DayB);
    }

    [Fact]
    public async Task Import_TwiceAndRecomputeTwice_SamePointsAndSameSeries()
    {
        var database = influx.NewDatabase();
        using var cli = new CliRunner(influx.Url, database);
        await ImportGoldenAsync(cli);
        var before = await cli.ExportAsync(GoldenCompany.DayA.AddDays(-30), GoldenCompany.DayB);
        var seriesBefore = await influx.QueryAsync(database, "SHOW SERIES");

        await ImportGoldenAsync(cli);
        for (var i = 0; i < 2; i++)
        {
            var recompute = await cli.RunAsync("recompute", "--from", "2026-01-01", "--to", $"{GoldenCompany.DayB:yyyy-MM-dd}");
            Assert.True(recompute.ExitCode == 0, recompute.Error);
        }

        Assert.Equal(before, await cli.ExportAsync(GoldenCompany.DayA.AddDays(-30), GoldenCompany.DayB));
        Assert.Equal(seriesBefore, await influx.QueryAsync(database, "SHOW SERIES"));
        var count = await influx.QueryAsync(database, "SELECT COUNT(\"value\") FROM \"kpi\" WHERE time >= '2026-01-31T23:00:00Z' AND time < '2026-03-10T23:00:00Z'");
        Assert.Contains($"{before.Count(p => p.Date >= new DateOnly(2026, 2, 1) && p.Tool is null)}]", count, StringComparison.Ordinal);
        var toolCount = await influx.QueryAsync(database, "SELECT COUNT(\"value\") FROM \"kpi_by_tool\" WHERE time >= '2026-01-31T23:00:00Z' AND time < '2026-03-10T23:00:00Z'");
        Assert.Contains($"{before.Count(p => p.Date >= new DateOnly(2026, 2, 1) && p.Tool is not null)}]", toolCount, StringComparison.Ordinal);
    }
}
