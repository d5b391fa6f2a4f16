using System.Text.RegularExpressions;
using Metrics.Grafana.Tests.Infrastructure;
using Metrics.Testing.Golden;

namespace Metrics.Grafana.Tests;

/// <summary>
/// Every panel query of every board, run against a real InfluxDB 1.6 holding the demo data, after Grafana's macros and
/// variables are applied: it answers without error, returns rows, ratios lie in [0, 1], and where a query reads one
/// KPI its values on the checked days equal the hand-computed ones.
/// </summary>
[Collection(DemoInfluxCollection.Name)]
public sealed partial class PanelQueryTests(DemoInflux influx)
{
    private const string Org = "(org)";
    private const int TierRankingPanel = 10;

    public static TheoryData<string, int, string> Targets()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var panel in GrafanaFiles.Dashboards().SelectMany(b => b.Panels))
        {
            foreach (var target in panel.Targets)
            {
                data.Add(panel.Dashboard.Uid!, panel.Id, target["refId"]!.GetValue<string>());
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task PanelQuery_OverTheDemoRange_ReturnsRowsAndRatiosInUnitInterval(string dashboard, int panelId, string refId)
    {
        var (panel, query) = Find(dashboard, panelId, refId);
        foreach (var department in DepartmentsFor(query))
        {
            var text = Substitute(query, DemoData.From, DemoData.To, department);
            var series = await influx.QueryAsync(text);

            // The tier ranking reads the last days of the range only, where no department tier of the demo reaches the
            // minimum group size (TierRanking_* check it); every other query has rows.
            var mayBeEmpty = dashboard == "metrics-enablement" && panelId == TierRankingPanel;
            Assert.True(mayBeEmpty || (series.Count > 0 && series.Any(s => s.Rows.Count > 0)), $"{panel} {refId} ({department}): no rows for {text}");
            var ratioColumns = panel.Unit == "percentunit"
                ? series.SelectMany(s => s.Columns.Skip(1)).Distinct(StringComparer.Ordinal).ToList()
                : panel.PercentOverrides.ToList();
            foreach (var s in series)
            {
                foreach (var column in ratioColumns.Where(s.Columns.Contains))
                {
                    Assert.All(s.Column(column).OfType<double>(), v => Assert.True(v is >= 0 and <= 1, $"{panel} {refId} {s}: {column} = {v} outside [0, 1]"));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task PanelQuery_OnTheCheckedDays_EqualsTheHandComputedKpis(string dashboard, int panelId, string refId)
    {
        var (panel, query) = Find(dashboard, panelId, refId);
        var kpis = KpiFilter().Matches(query).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        var windows = WindowFilter().Matches(query).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        var select = SelectValue().Match(query);
        var reads = query.Contains("FROM \"kpi\"", StringComparison.Ordinal) || query.Contains("FROM \"kpi_trend\"", StringComparison.Ordinal);
        if (kpis.Count != 1 || windows.Count != 1 || !select.Success || !reads)
        {
            // Not a single-KPI read of the value (a count, a ratio of fields, source health): covered by the rows test.
            Assert.True(kpis.Count <= 1 || query.Contains("count(", StringComparison.Ordinal), $"{panel}: query mixes KPIs: {query}");
            return;
        }

        var (kpi, window) = (kpis[0], windows[0]);
        var org = query.Contains("\"scope\" = 'org'", StringComparison.Ordinal);
        var compared = 0;
        foreach (var day in DemoData.CheckedDays)
        {
            var expected = DemoData.Expected.Where(e => e.Date == day && e.Kpi == kpi && e.Window == window).ToList();
            foreach (var department in DepartmentsFor(query))
            {
                var text = Substitute(query, DemoData.DayStart(day), DemoData.DayStart(day.AddDays(1)).AddMilliseconds(-1), department);
                var series = await influx.QueryAsync(text);
                var actual = series.ToDictionary(s => org ? Org : s.Department ?? department ?? "?", s => s.Column().OfType<double>().Last(), StringComparer.Ordinal);
                var wanted = expected
                    .Where(e => org ? e.Department is null : e.Department is not null && (department is null || e.Department == department))
                    .ToDictionary(e => e.Department ?? Org, e => e.Value, StringComparer.Ordinal);
                Assert.True(
                    wanted.Keys.Order(StringComparer.Ordinal).SequenceEqual(actual.Keys.Order(StringComparer.Ordinal)),
                    $"{panel} {refId} {day:yyyy-MM-dd} {kpi} {window}: groups [{string.Join(", ", actual.Keys)}], expected [{string.Join(", ", wanted.Keys)}]");
                foreach (var (group, value) in wanted)
                {
                    Assert.True(Math.Abs(actual[group] - value) < 1e-9, $"{panel} {refId} {day:yyyy-MM-dd} {group} {kpi} {window}: {actual[group]}, expected {value}");
                    compared++;
                }
            }
        }

        Assert.True(compared > 0, $"{panel} {refId}: nothing compared for {kpi} {window}");
    }

    [Theory]
    [InlineData(9)]
    [InlineData(10)]
    public async Task TierPanels_OnTheCheckedDays_EqualTheHandComputedTierRates(int panelId)
    {
        var (_, query) = Find("metrics-enablement", panelId, "A");
        var org = query.Contains("\"scope\" = 'org'", StringComparison.Ordinal);
        foreach (var day in DemoData.CheckedDays)
        {
            var text = Substitute(query, DemoData.DayStart(day), DemoData.DayStart(day.AddDays(1)).AddMilliseconds(-1), null);
            var actual = (await influx.QueryAsync(text))
                .ToDictionary(s => (s.Tags.GetValueOrDefault("department"), s.Tags["level"]), s => s.Column().OfType<double>().Last());
            var wanted = GoldenCompany.ExpectedByLevel
                .Where(e => e.Date == day && (e.Department is null) == org)
                .ToDictionary(e => (e.Department, e.Level), e => e.Value);

            Assert.Equal(wanted.Keys.Order(), actual.Keys.Order());
            foreach (var (key, value) in wanted)
            {
                Assert.Equal(value, actual[key], 9);
            }
        }
    }

    public static TheoryData<string, int> ToolPanels()
    {
        var data = new TheoryData<string, int>();
        foreach (var panel in GrafanaFiles.Dashboards().SelectMany(b => b.Panels)
            .Where(p => p.Targets.Any(t => t["query"]!.GetValue<string>().Contains("FROM \"kpi_by_tool\"", StringComparison.Ordinal))))
        {
            data.Add(panel.Dashboard.Uid!, panel.Id);
        }

        return data;
    }

    [Fact]
    public void ToolPanels_ExecutiveAndDepartmentBoards_ShowAiUseByTool()
    {
        var boards = ToolPanels().Select(row => (string)row[0]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

        Assert.Equal(["metrics-department", "metrics-executive"], boards);
    }

    [Theory]
    [MemberData(nameof(ToolPanels))]
    public async Task ToolPanels_OnTheCheckedDays_EqualTheHandComputedUseByTool(string dashboard, int panelId)
    {
        var (_, query) = Find(dashboard, panelId, "A");
        var kpi = Assert.Single(KpiFilter().Matches(query).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal));
        var window = Assert.Single(WindowFilter().Matches(query).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal));
        var org = query.Contains("\"scope\" = 'org'", StringComparison.Ordinal);
        var compared = 0;
        foreach (var day in DemoData.CheckedDays)
        {
            foreach (var department in DepartmentsFor(query))
            {
                var text = Substitute(query, DemoData.DayStart(day), DemoData.DayStart(day.AddDays(1)).AddMilliseconds(-1), department);
                var actual = (await influx.QueryAsync(text)).ToDictionary(s => s.Tags["tool"], s => s.Column().OfType<double>().Last(), StringComparer.Ordinal);
                var group = org ? null : department;
                var wanted = GoldenCompany.ExpectedByTool
                    .Where(e => e.Date == day && e.Window == window && e.Department == group)
                    .ToDictionary(
                        e => e.Tool,
                        e => kpi == "ai_tool_users" ? e.Users : (double)e.Users / GoldenCompany.Headcount(day, group),
                        StringComparer.Ordinal);

                Assert.Equal(wanted.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
                foreach (var (tool, value) in wanted)
                {
                    Assert.True(Math.Abs(actual[tool] - value) < 1e-9, $"{dashboard} {panelId} {day:yyyy-MM-dd} {group ?? Org} {tool}: {actual[tool]}, expected {value}");
                    compared++;
                }
            }
        }

        Assert.True(compared > 0, $"{dashboard} {panelId}: nothing compared");
    }

    public static TheoryData<string, int, string> TrendTargets()
    {
        var data = new TheoryData<string, int, string>();
        foreach (var row in Targets())
        {
            var (_, query) = Find((string)row[0], (int)row[1], (string)row[2]);
            if (query.Contains("FROM \"kpi_trend\"", StringComparison.Ordinal))
            {
                data.Add((string)row[0], (int)row[1], (string)row[2]);
            }
        }

        return data;
    }

    [Fact]
    public void TrendTargets_EnablementBoard_ReadsBothPerDepartmentTrendsFromKpiTrend() =>
        Assert.Equal(2, TrendTargets().Count);

    [Theory]
    [MemberData(nameof(TrendTargets))]
    public async Task TrendPanel_UpTo120Days_DrawsEveryDayOfKpiAndOverAYearEachSundayAndTheLastDay(string dashboard, int panelId, string refId)
    {
        // The demo's days run up to day B (a Tuesday, the last day both imports recomputed).
        var (panel, query) = Find(dashboard, panelId, refId);
        var daily = query.Replace("FROM \"kpi_trend\"", "FROM \"kpi\"", StringComparison.Ordinal).Replace("AND \"max_range_s\" >= ${__range_s} ", "", StringComparison.Ordinal);
        Assert.DoesNotContain("max_range_s", daily, StringComparison.Ordinal);
        var to = DemoData.DayStart(GoldenCompany.DayB.AddDays(1)).AddMilliseconds(-1);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(DemoData.TimeZone);

        foreach (var days in new[] { 30, 120 })
        {
            var from = DemoData.DayStart(GoldenCompany.DayB.AddDays(1 - days));
            Assert.Equal(Points(await influx.QueryAsync(Substitute(daily, from, to, null))), Points(await influx.QueryAsync(Substitute(query, from, to, null))));
        }

        var yearFrom = DemoData.DayStart(GoldenCompany.DayB.AddDays(-364));
        var everyDay = Points(await influx.QueryAsync(Substitute(daily, yearFrom, to, null)));
        var year = Points(await influx.QueryAsync(Substitute(query, yearFrom, to, null)));

        Assert.True(everyDay.Count > year.Count * 5, $"{panel} {refId}: {year.Count} points over a year against {everyDay.Count} daily");
        Assert.Equal(everyDay.Where(p => p.Day.DayOfWeek == DayOfWeek.Sunday || p.Day == GoldenCompany.DayB), year);

        List<(string? Department, DateOnly Day, double Value)> Points(IReadOnlyList<InfluxSeries> series) =>
        [
            .. series.SelectMany(s => s.Rows.Select(r => (s.Department, Day: KpiDay(r), Value: r[1]!.Value)))
                .OrderBy(p => p.Department, StringComparer.Ordinal).ThenBy(p => p.Day),
        ];

        DateOnly KpiDay(IReadOnlyList<double?> row) =>
            DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds((long)row[0]!.Value), zone).DateTime);
    }

    [Fact]
    public async Task DataHealth_PeopleCovered_IsEachSourcesPeopleOverTheDirectoryInTheTableAndTheTrend()
    {
        var board = GrafanaFiles.DashboardByUid("metrics-data-health");
        var table = board.Panels.Single(p => p.Title == "Sources now");
        var trend = board.Panels.Single(p => p.Title == "People of the directory covered per source");
        var from = DemoData.DayStart(DemoData.HealthDay);
        var to = DemoData.DayStart(DemoData.HealthDay.AddDays(1)).AddMilliseconds(-1);

        var rows = (await influx.QueryAsync(Substitute(table.Targets[0]["query"]!.GetValue<string>(), from, to, null)))
            .ToDictionary(s => s.Tags["source"], s => (People: s.Column("people").Single(), Covered: s.Column("people_covered").Single()), StringComparer.Ordinal);
        var lines = (await influx.QueryAsync(Substitute(trend.Targets[0]["query"]!.GetValue<string>(), from, to, null)))
            .ToDictionary(s => s.Tags["source"], s => s.Column().OfType<double>().Last(), StringComparer.Ordinal);

        Assert.Equal(DemoData.PeopleCovered.Keys.Order(StringComparer.Ordinal), rows.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(DemoData.PeopleCovered.Keys.Order(StringComparer.Ordinal), lines.Keys.Order(StringComparer.Ordinal));
        foreach (var (source, (people, of)) in DemoData.PeopleCovered)
        {
            Assert.Equal(people, rows[source].People);
            Assert.Equal((double)people / of, rows[source].Covered!.Value, 12);
            Assert.Equal((double)people / of, lines[source], 12);
        }
    }

    [Fact]
    public async Task TierRanking_RangeEndingOnDayA_ShowsTheSalesFrontlineTier()
    {
        var (_, query) = Find("metrics-enablement", TierRankingPanel, "A");
        var text = Substitute(query, DemoData.From, DemoData.DayStart(GoldenCompany.DayA.AddDays(1)).AddMilliseconds(-1), null);

        var series = Assert.Single(await influx.QueryAsync(text));

        Assert.Equal(("Sales", "frontline"), (series.Tags["department"], series.Tags["level"]));
        Assert.Equal(1.0 / 3, series.Column().OfType<double>().Single(), 12);
    }

    [Fact]
    public async Task TierRanking_RangeEndingOnDayB_ShowsNoTierThatFellBelowTheMinimumGroupSize()
    {
        // Sales frontline is down to two people on day B: a whole-range last() would still show its day-A rate as current.
        var (_, query) = Find("metrics-enablement", TierRankingPanel, "A");

        var series = await influx.QueryAsync(Substitute(query, DemoData.From, DemoData.To, null));

        Assert.DoesNotContain(series, s => s.Rows.Count > 0);
    }

    [Fact]
    public async Task DepartmentVariable_OnTheDemoData_ListsTheDepartmentsWritten()
    {
        var variable = GrafanaFiles.Dashboards().SelectMany(b => b.Variables).First(v => v["name"]!.GetValue<string>() == "department");
        var json = await influx.Server.QueryAsync(influx.Database, variable["query"]!.GetValue<string>());
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var values = doc.RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")
            .EnumerateArray().Select(v => v[1].GetString()!).Order(StringComparer.Ordinal);
        Assert.Equal(DemoData.Departments.Order(StringComparer.Ordinal), values);
    }

    [Fact]
    public async Task ExecutiveRanking_OnDayB_OrdersDepartmentsByHandComputedUsage()
    {
        var panel = GrafanaFiles.DashboardByUid("metrics-executive").Panels.Single(p => p.Title.StartsWith("Department ranking: AI usage", StringComparison.Ordinal));
        var day = DemoData.CheckedDays[^1];
        var text = Substitute(panel.Targets[0]["query"]!.GetValue<string>(), DemoData.DayStart(day), DemoData.DayStart(day.AddDays(1)).AddMilliseconds(-1), null);
        var ranking = (await influx.QueryAsync(text)).Select(s => (s.Department, Value: s.Column().OfType<double>().Last())).OrderByDescending(x => x.Value).ToList();

        // 28-day usage on 2026-03-10: Engineering 4/4, (small groups) 2/3, Sales 2/4.
        Assert.Equal(["Engineering", "(small groups)", "Sales"], ranking.Select(r => r.Department));
        Assert.Equal(2.0 / 3, ranking[1].Value, 12);
    }

    private static (Panel Panel, string Query) Find(string dashboard, int panelId, string refId)
    {
        var panel = GrafanaFiles.DashboardByUid(dashboard).Panel(panelId);
        var target = panel.Targets.Single(t => t["refId"]!.GetValue<string>() == refId);
        return (panel, target["query"]!.GetValue<string>());
    }

    private static IEnumerable<string?> DepartmentsFor(string query) =>
        query.Contains("$department", StringComparison.Ordinal) ? DemoData.Departments : new string?[] { null };

    private static string Substitute(string query, DateTimeOffset from, DateTimeOffset to, string? department)
    {
        var variables = department is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["department"] = department };
        var text = GrafanaMacros.Apply(query, from, to, variables);
        Assert.DoesNotContain("$", text, StringComparison.Ordinal);
        return text;
    }

    [GeneratedRegex("\"kpi\" = '(\\w+)'")]
    private static partial Regex KpiFilter();

    [GeneratedRegex("\"window\" = '(\\w+)'")]
    private static partial Regex WindowFilter();

    [GeneratedRegex("^SELECT (?:last\\()?\"value\"\\)? AS \"[^\"]+\" FROM")]
    private static partial Regex SelectValue();
}
