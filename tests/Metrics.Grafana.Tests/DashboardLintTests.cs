using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Metrics.Core.Kpis;
using Metrics.Grafana.Tests.Infrastructure;
using Metrics.Testing.Golden;

namespace Metrics.Grafana.Tests;

/// <summary>Static checks of every dashboard JSON: what Grafana needs to load it and what a reader needs to trust it.</summary>
public sealed partial class DashboardLintTests
{
    private static readonly IReadOnlyList<Dashboard> Boards = GrafanaFiles.Dashboards();

    private static IEnumerable<Panel> AllPanels => Boards.SelectMany(b => b.Panels);

    [Fact]
    public void Dashboards_Directory_HoldsTheFiveBoardsWithFixedUids()
    {
        Assert.Equal(
            ["metrics-data-health", "metrics-department", "metrics-enablement", "metrics-executive", "metrics-innovation"],
            Boards.Select(b => b.Uid).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Dashboards_Uids_AreUniqueWellFormedAndDistinctFromAlertRuleUids()
    {
        var uids = Boards.Select(b => b.Uid ?? "").ToList();
        Assert.All(uids, uid => Assert.Matches("^[a-z0-9-]{8,40}$", uid));
        Assert.Equal(uids.Count, uids.Distinct(StringComparer.Ordinal).Count());
        Assert.Empty(uids.Intersect(GrafanaFiles.AlertRules().Select(r => r.Uid), StringComparer.Ordinal));
    }

    [Fact]
    public void Dashboards_ProvisioningFields_NullIdOneSchemaVersionOneTimeZone()
    {
        Assert.All(Boards, b =>
        {
            Assert.True(b.Json.ContainsKey("id") && b.Json["id"] is null, $"{b}: id must be null for provisioning");
            Assert.False(string.IsNullOrWhiteSpace(b.Title), $"{b}: no title");
            Assert.False(string.IsNullOrWhiteSpace(b.Json["description"]?.GetValue<string>()), $"{b}: no description");
        });
        Assert.Single(Boards.Select(b => b.Json["schemaVersion"]!.GetValue<int>()).Distinct());
        var zones = Boards.Select(b => b.Json["timezone"]?.GetValue<string>()).Distinct().ToList();
        Assert.Equal([DemoData.TimeZone], zones);
    }

    [Fact]
    public void Dashboards_PanelIdsAndLayout_UniqueIdsInsideTheGrid()
    {
        Assert.All(Boards, b =>
        {
            var ids = b.Panels.Select(p => p.Id).ToList();
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.All(b.Panels, p =>
            {
                var grid = p.Json["gridPos"]!;
                var x = grid["x"]!.GetValue<int>();
                var w = grid["w"]!.GetValue<int>();
                Assert.True(x >= 0 && w > 0 && x + w <= 24, $"{p}: gridPos outside the 24 columns");
                Assert.True(grid["h"]!.GetValue<int>() > 0, $"{p}: zero height");
            });
        });
    }

    [Fact]
    public void Dashboards_EveryPanelAndTarget_UsesTheProvisionedDatasourceUid()
    {
        Assert.All(AllPanels, p =>
        {
            Assert.Equal(GrafanaFiles.DatasourceUid, p.Json["datasource"]?["uid"]?.GetValue<string>());
            Assert.NotEmpty(p.Targets);
            Assert.All(p.Targets, t =>
            {
                Assert.Equal(GrafanaFiles.DatasourceUid, t["datasource"]?["uid"]?.GetValue<string>());
                Assert.Equal("influxdb", t["datasource"]?["type"]?.GetValue<string>());
                Assert.True(t["rawQuery"]?.GetValue<bool>() == true, $"{p}: target {t["refId"]} is not a raw InfluxQL query");
                Assert.False(string.IsNullOrWhiteSpace(t["query"]?.GetValue<string>()), $"{p}: target {t["refId"]} has no query");
                Assert.Contains(t["resultFormat"]?.GetValue<string>(), new[] { "time_series", "table" });
            });
            Assert.Equal(p.Targets.Count, p.Targets.Select(t => t["refId"]!.GetValue<string>()).Distinct(StringComparer.Ordinal).Count());
        });
        Assert.All(Boards.SelectMany(b => b.Variables), v => Assert.Equal(GrafanaFiles.DatasourceUid, v["datasource"]?["uid"]?.GetValue<string>()));
    }

    [Fact]
    public void Dashboards_EveryPanel_HasADescriptionAndAUnit()
    {
        Assert.All(AllPanels, p =>
        {
            Assert.True(p.Description is { Length: > 40 }, $"{p}: description missing or too short to state a definition");
            Assert.False(string.IsNullOrWhiteSpace(p.Unit), $"{p}: no fieldConfig.defaults.unit");
        });
    }

    [Fact]
    public void Dashboards_KpiPanels_DescriptionStatesTheDefinitionOfEachQueriedKpi()
    {
        // Each KPI a panel queries is named in its description by the words of docs/kpis.md (its name with spaces).
        Assert.All(AllPanels, p =>
        {
            foreach (var kpi in p.Targets.SelectMany(t => KpiFilter().Matches(t["query"]!.GetValue<string>()).Select(m => m.Groups[1].Value)).Distinct(StringComparer.Ordinal))
            {
                var words = kpi.Replace("_", " ", StringComparison.Ordinal).Replace("ai ", "AI ", StringComparison.Ordinal);
                Assert.True(
                    p.Description!.Replace("-", " ", StringComparison.Ordinal).Contains(words, StringComparison.OrdinalIgnoreCase) || p.Description.Contains(kpi, StringComparison.Ordinal),
                    $"{p}: description does not define '{kpi}'");
            }
        });
    }

    [Fact]
    public void Dashboards_EveryQueriedKpi_IsDefinedInTheCatalogWithThatWindow()
    {
        Assert.All(AllPanels, p =>
        {
            foreach (var query in p.Targets.Select(t => t["query"]!.GetValue<string>()))
            {
                var windows = WindowFilter().Matches(query).Select(m => m.Groups[1].Value).ToList();
                foreach (var kpi in KpiFilter().Matches(query).Select(m => m.Groups[1].Value))
                {
                    var definition = KpiCatalog.Find(kpi);
                    Assert.True(definition is not null, $"{p}: '{kpi}' is not a KPI of src/Metrics.Core/Kpis/KpiCatalog.cs");
                    Assert.All(windows, w => Assert.True(definition.Windows.Contains(w), $"{p}: {kpi} has no window '{w}'"));
                }
            }
        });
    }

    [Fact]
    public void Dashboards_KpiPanels_UseTheUnitOfTheirKpisDefinition()
    {
        // Tables show several columns, each with its own override; every other panel shows KPIs of one unit in that unit.
        Assert.All(AllPanels.Where(p => p.Type != "table"), p =>
        {
            var units = QueriedKpis(p).Select(k => KpiCatalog.Find(k)?.Unit).Distinct(StringComparer.Ordinal).ToList();
            if (units.Count > 0)
            {
                Assert.True(units.Count == 1, $"{p}: mixes KPIs of units {string.Join(", ", units)}");
                Assert.Equal(units[0], p.Unit);
            }
        });
    }

    [Fact]
    public void Dashboards_PanelsOfAKpiWithATarget_DrawTheTargetAsAThresholdStep()
    {
        var checkedPanels = 0;
        Assert.All(AllPanels, p =>
        {
            var kpis = QueriedKpis(p);
            if (kpis.Count != 1 || KpiCatalog.Find(kpis[0])?.Target is not { } target)
            {
                return;
            }

            var steps = p.Json["fieldConfig"]?["defaults"]?["thresholds"]?["steps"]?.AsArray()
                .Select(s => s?["value"]?.GetValue<double>()).ToList() ?? [];
            Assert.True(steps.Contains(target), $"{p}: {kpis[0]} has the target {target}, not among its threshold steps [{string.Join(", ", steps)}]");
            checkedPanels++;
        });
        Assert.True(checkedPanels > 0, "no panel shows a KPI with a target");
    }

    [Fact]
    public void Dashboards_RankingPanels_ReadOnlyTheLastValueOfTheRangesLastDays()
    {
        // A bar gauge shows one value per department. Reading a year of 50 departments to keep the last point costs
        // hundreds of milliseconds in InfluxDB 1.x (last() alone still reads every point): the query reads the last two
        // days of the range only (a day start lies at most 25 hours before the end) and returns one row per series.
        var rankings = AllPanels.Where(p => p.Type == "bargauge").ToList();
        Assert.NotEmpty(rankings);
        Assert.All(rankings.SelectMany(p => p.Targets.Select(t => (p, Query: t["query"]!.GetValue<string>()))), x =>
        {
            Assert.True(x.Query.StartsWith("SELECT last(\"value\")", StringComparison.Ordinal), $"{x.p}: a ranking reads every point: {x.Query}");
            Assert.True(x.Query.Contains("AND time >= ${__to}ms - 2d", StringComparison.Ordinal), $"{x.p}: a ranking reads the whole range: {x.Query}");
        });
    }

    [Fact]
    public void Dashboards_TimeSeries_ReadEveryDailyPointOfTheRangeWithoutTimeBuckets()
    {
        // A trend must show each day at its own date: no last-days filter (that is for rankings), and no GROUP BY time(),
        // whose UTC buckets would label a local day's point with the day before.
        Assert.All(AllPanels.Where(p => p.Type == "timeseries" && p.Targets.Any(t => t["query"]!.GetValue<string>().Contains("FROM \"kpi", StringComparison.Ordinal))), p =>
            Assert.All(p.Targets.Select(t => t["query"]!.GetValue<string>()), q =>
            {
                Assert.DoesNotContain("${__to}", q, StringComparison.Ordinal);
                Assert.DoesNotContain("GROUP BY time(", q, StringComparison.Ordinal);
            }));
    }

    private static List<string> QueriedKpis(Panel p) =>
        p.Targets.SelectMany(t => KpiFilter().Matches(t["query"]!.GetValue<string>()).Select(m => m.Groups[1].Value)).Distinct(StringComparer.Ordinal).ToList();

    [Fact]
    public void Dashboards_TemplateVariables_EveryReferenceDefinedAndEveryVariableUsed()
    {
        Assert.All(Boards, b =>
        {
            var defined = b.Variables.Select(v => v["name"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            var used = b.Panels.SelectMany(p => p.Targets).SelectMany(t => GrafanaMacros.References(t["query"]!.GetValue<string>()))
                .Where(n => !GrafanaMacros.IsMacro(n)).ToHashSet(StringComparer.Ordinal);
            Assert.True(used.IsSubsetOf(defined), $"{b}: undefined variables {string.Join(", ", used.Except(defined))}");
            Assert.True(defined.IsSubsetOf(used), $"{b}: unused variables {string.Join(", ", defined.Except(used))}");
            foreach (var title in b.Panels.Select(p => p.Title))
            {
                var inTitle = GrafanaMacros.References(title).ToHashSet(StringComparer.Ordinal);
                Assert.True(inTitle.IsSubsetOf(defined), $"{b}: title '{title}' uses an undefined variable");
            }
        });
    }

    [Fact]
    public void Dashboards_DepartmentVariable_ListsTheDepartmentTagValues()
    {
        var variables = Boards.SelectMany(b => b.Variables).Where(v => v["name"]!.GetValue<string>() == "department").ToList();
        Assert.Equal(3, variables.Count);
        Assert.All(variables, v =>
        {
            Assert.Equal("query", v["type"]!.GetValue<string>());
            Assert.Equal("SHOW TAG VALUES FROM \"kpi\" WITH KEY = \"department\"", v["query"]!.GetValue<string>());
            Assert.False(v["multi"]!.GetValue<bool>());
            Assert.False(v["includeAll"]!.GetValue<bool>());
        });
    }

    [Fact]
    public void Dashboards_Queries_EveryQueryIsBoundedByTheTimeRange()
    {
        Assert.All(AllPanels.SelectMany(p => p.Targets.Select(t => (p, Query: t["query"]!.GetValue<string>()))), x =>
        {
            Assert.Contains("$timeFilter", x.Query, StringComparison.Ordinal);
            Assert.DoesNotContain("now()", x.Query, StringComparison.Ordinal);
            Assert.DoesNotContain(" tz(", x.Query, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Dashboards_Content_NoHardCodedDepartmentNames()
    {
        foreach (var b in Boards)
        {
            var text = File.ReadAllText(b.Path);
            var literals = b.Panels.SelectMany(p => p.Targets).SelectMany(t => DepartmentLiteral().Matches(t["query"]!.GetValue<string>()))
                .Select(m => m.Groups[1].Value).Where(v => v != "$department").ToList();
            Assert.True(literals.Count == 0, $"{b}: department filters on literal values {string.Join(", ", literals)}");
            // The golden company's departments, which the tests use: none of them may leak into a board.
            foreach (var name in GoldenCompany.Directory.Split('\n').Skip(1).Select(l => l.Split(',')).Where(c => c.Length > 1).Select(c => c[1]).Distinct(StringComparer.Ordinal))
            {
                Assert.DoesNotContain(name, text, StringComparison.Ordinal);
            }

            var current = b.Variables.Select(v => v["current"]).OfType<JsonObject>().Where(c => c.Count > 0).ToList();
            Assert.True(current.Count == 0, $"{b}: a variable has a saved current value");
        }
    }

    [GeneratedRegex("\"kpi\" = '(\\w+)'")]
    private static partial Regex KpiFilter();

    [GeneratedRegex("\"window\" = '(\\w+)'")]
    private static partial Regex WindowFilter();

    [GeneratedRegex(@"""department""\s*(?:=|!=|<>|=~|!~)\s*'?([^'\s)]+)")]
    private static partial Regex DepartmentLiteral();
}
