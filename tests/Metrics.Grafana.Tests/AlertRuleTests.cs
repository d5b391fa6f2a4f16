using Metrics.Grafana.Tests.Infrastructure;

namespace Metrics.Grafana.Tests;

/// <summary>
/// The provisioned alert rules evaluated as Grafana would: every query runs against InfluxDB over its relative time
/// range, then the reduce/math/threshold expressions. On the demo data and on data shaped to trip each rule.
/// </summary>
[Collection(DemoInfluxCollection.Name)]
public sealed class AlertRuleTests(DemoInflux influx)
{
    private const string DropOrg = "metrics-ai-usage-drop-org";
    private const string DropDepartment = "metrics-ai-usage-drop-department";

    /// <summary>The morning after the last demo day: "yesterday" is day B, a week before it is day A.</summary>
    private static readonly DateTimeOffset DemoNow = DemoData.DayStart(DemoData.CheckedDays[^1].AddDays(1)).AddHours(10);

    /// <summary>A Monday morning for the shaped data; its yesterday is <see cref="Yesterday"/>.</summary>
    private static readonly DateOnly Yesterday = new(2026, 5, 10);

    private static readonly DateTimeOffset ShapedNow = DemoData.DayStart(Yesterday.AddDays(1)).AddHours(9);

    public static TheoryData<string> RuleUids()
    {
        var data = new TheoryData<string>();
        foreach (var rule in GrafanaFiles.AlertRules())
        {
            data.Add(rule.Uid);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RuleUids))]
    public async Task AlertRule_EveryQueryOnTheDemoData_RunsAndEvaluates(string uid)
    {
        var rule = GrafanaFiles.Rule(uid);
        foreach (var query in rule.InfluxQueries)
        {
            var range = query["relativeTimeRange"]!;
            var text = GrafanaMacros.Apply(query["model"]!["query"]!.GetValue<string>(), DemoNow.AddSeconds(-AlertRule.Number(range["from"])), DemoNow.AddSeconds(-AlertRule.Number(range["to"])));
            Assert.DoesNotContain("$", text, StringComparison.Ordinal);
            // Source health is written for day B; every other query reads KPI points that exist at the demo's now.
            var at = text.Contains("source_health", StringComparison.Ordinal)
                ? GrafanaMacros.Apply(query["model"]!["query"]!.GetValue<string>(), DemoData.DayStart(DemoData.HealthDay).AddHours(20), DemoData.DayStart(DemoData.HealthDay).AddHours(21))
                : text;
            var series = await influx.QueryAsync(at);
            Assert.True(series.Count > 0 && series.All(s => s.Rows.Count > 0), $"{uid} {query["refId"]}: no rows for {at}");
        }

        var outcome = await AlertEvaluator.EvaluateAsync(rule, influx.QueryAsync, DemoNow);
        Assert.NotNull(outcome.Instances);
    }

    [Fact]
    public async Task UsageDropDepartment_GoldenWeekAToB_FiresForEngineeringOnly()
    {
        // 7-day usage, day A -> day B: Engineering 3/5 -> 1/4 (-58 %), Sales 1/4 -> 1/4, (small groups) 0/3 -> 1/3.
        var outcome = await AlertEvaluator.EvaluateAsync(GrafanaFiles.Rule(DropDepartment), influx.QueryAsync, DemoNow);

        Assert.Equal(["Engineering"], outcome.Firing.Select(i => i.Label("department")));
        var drop = outcome.Steps["E"].Single(i => i.Label("department") == "Engineering").Value;
        Assert.Equal(((3.0 / 5) - (1.0 / 4)) / (3.0 / 5), drop, 12);
        Assert.Equal(3, outcome.Instances.Count);
    }

    [Fact]
    public async Task UsageDropOrg_GoldenWeekAToB_QuietBelowTheThreshold()
    {
        // Org 7-day usage 4/12 -> 3/11: a drop of 18 %, under the 20 % threshold.
        var rule = GrafanaFiles.Rule(DropOrg);
        var outcome = await AlertEvaluator.EvaluateAsync(rule, influx.QueryAsync, DemoNow);

        Assert.False(outcome.Alerting, outcome.ToString());
        var drop = Assert.Single(outcome.Steps["E"]).Value;
        Assert.Equal(((4.0 / 12) - (3.0 / 11)) / (4.0 / 12), drop, 12);
        Assert.True(drop < rule.ThresholdOf("F"));
    }

    [Fact]
    public async Task UsageDrop_SteadyUsage_QuietForOrgAndEveryDepartment()
    {
        var database = await ShapedUsageAsync(org: Steady(0.50), departments: new() { ["Dept A"] = Steady(0.60), ["Dept B"] = Steady(0.35) });

        var org = await EvaluateAsync(DropOrg, database);
        var departments = await EvaluateAsync(DropDepartment, database);

        Assert.False(org.Alerting, org.ToString());
        Assert.False(departments.Alerting, departments.ToString());
        Assert.Equal(2, departments.Instances.Count);
    }

    [Fact]
    public async Task UsageDropDepartment_OneDepartmentFallsWeekOverWeek_FiresForThatDepartmentOnly()
    {
        var database = await ShapedUsageAsync(org: Steady(0.50), departments: new() { ["Dept A"] = Steady(0.60), ["Dept B"] = Falling(0.60, 0.30) });

        var outcome = await EvaluateAsync(DropDepartment, database);

        Assert.Equal(["Dept B"], outcome.Firing.Select(i => i.Label("department")));
        Assert.Equal(0.5, outcome.Steps["E"].Single(i => i.Label("department") == "Dept B").Value, 9);
        Assert.False((await EvaluateAsync(DropOrg, database)).Alerting);
    }

    [Fact]
    public async Task UsageDropOrg_OrgFallsByQuarter_FiresAndSmallDipStaysQuiet()
    {
        var falling = await ShapedUsageAsync(org: Falling(0.40, 0.30), departments: []);
        var dip = await ShapedUsageAsync(org: Falling(0.40, 0.35), departments: []);

        var fired = await EvaluateAsync(DropOrg, falling);
        var quiet = await EvaluateAsync(DropOrg, dip);

        Assert.True(fired.Alerting, fired.ToString());
        Assert.Single(fired.Firing);
        Assert.Equal(0.25, Assert.Single(fired.Steps["E"]).Value, 9);
        Assert.False(quiet.Alerting, quiet.ToString());
    }

    [Theory]
    [InlineData("metrics-proposer-rate-below-target", "proposer_rate", "28d", 0.40)]
    [InlineData("metrics-conversion-below-target", "proposal_conversion_rate", "cohort", 0.30)]
    public async Task BelowTarget_WeekUnderVersusOneDayAtTarget_FiresOnlyWhenEveryValueIsUnder(string uid, string kpi, string window, double target)
    {
        Assert.Equal(target, GrafanaFiles.Rule(uid).ThresholdOf("C"));
        var under = influx.NewDatabase();
        var reached = influx.NewDatabase();
        await DemoData.WriteLinesAsync(influx.Server, under, Days(10).Select(d => DemoData.KpiLine(kpi, window, null, d, target - 0.05)));
        await DemoData.WriteLinesAsync(influx.Server, reached, Days(10).Select(d => DemoData.KpiLine(kpi, window, null, d, d == Yesterday.AddDays(-2) ? target : target - 0.05)));

        Assert.True((await EvaluateAsync(uid, under)).Alerting);
        Assert.False((await EvaluateAsync(uid, reached)).Alerting);
    }

    [Fact]
    public async Task BelowTarget_GoldenCompany_BothTargetsMissed()
    {
        // Proposer rate 3/11 and conversion 1/3 on day B: the first under 40 %, the second above 30 %.
        var proposers = await AlertEvaluator.EvaluateAsync(GrafanaFiles.Rule("metrics-proposer-rate-below-target"), influx.QueryAsync, DemoNow);
        var conversion = await AlertEvaluator.EvaluateAsync(GrafanaFiles.Rule("metrics-conversion-below-target"), influx.QueryAsync, DemoNow);

        Assert.True(proposers.Alerting, proposers.ToString());
        Assert.True(Assert.Single(proposers.Steps["B"]).Value < 0.4);
        Assert.False(conversion.Alerting, conversion.ToString());
        Assert.Equal(1.0 / 3, Assert.Single(conversion.Steps["B"]).Value, 12);
    }

    [Fact]
    public async Task Stale_PointsUpToYesterday_QuietAndTwoDaysLater_Fires()
    {
        var rule = GrafanaFiles.Rule("metrics-kpi-stale");

        var fresh = await AlertEvaluator.EvaluateAsync(rule, influx.QueryAsync, DemoNow);
        var stale = await AlertEvaluator.EvaluateAsync(rule, influx.QueryAsync, DemoNow.AddDays(2));

        Assert.False(fresh.Alerting, fresh.ToString());
        Assert.True(stale.NoData);
        Assert.True(stale.Alerting);
    }

    [Fact]
    public async Task SourceFailing_HealthyDemoSources_QuietAndRepeatedFailures_Fire()
    {
        var rule = GrafanaFiles.Rule("metrics-source-failing");
        var now = DemoData.DayStart(DemoData.HealthDay).AddHours(20).AddMinutes(30);
        var healthy = await AlertEvaluator.EvaluateAsync(rule, influx.QueryAsync, now);
        Assert.Equal(DemoData.Sources.Length, healthy.Instances.Count);
        Assert.False(healthy.Alerting, healthy.ToString());

        var database = influx.NewDatabase();
        var t = now.AddMinutes(-20);
        await DemoData.WriteLinesAsync(influx.Server, database,
        [
            DemoData.SourceHealthLine("lms", t, 12, 0, 0, 90, t, 0),
            DemoData.SourceHealthLine("ticketing", t.AddMinutes(-10), 25, 0, 0, 45, t.AddHours(-3), 2),
            DemoData.SourceHealthLine("ticketing", t, 25, 0, 0, 45, t.AddHours(-3), 3),
        ]);
        var failing = await AlertEvaluator.EvaluateAsync(rule, q => influx.QueryAsync(database, q), now);

        Assert.Equal(["ticketing"], failing.Firing.Select(i => i.Label("source")));
    }

    [Fact]
    public void MathExpression_LabelledSets_CombineByLabelsAndComparisons()
    {
        var a = new[] { new AlertInstance(new Dictionary<string, string> { ["department"] = "x" }, 0.5), new AlertInstance(new Dictionary<string, string> { ["department"] = "y" }, 0.2) };
        var b = new[] { new AlertInstance(new Dictionary<string, string> { ["department"] = "x" }, 0.25), new AlertInstance(new Dictionary<string, string> { ["department"] = "y" }, 0.2) };
        var vars = new Dictionary<string, IReadOnlyList<AlertInstance>> { ["A"] = a, ["B"] = b };

        var drop = new MathExpression("($A - ${B}) / $A > 0.2 && 1").Evaluate(vars);

        Assert.Equal([1.0, 0.0], drop.OrderBy(i => i.Label("department"), StringComparer.Ordinal).Select(i => i.Value));
        Assert.Throws<FormatException>(() => new MathExpression("$A >").Evaluate(vars));
    }

    private Task<AlertOutcome> EvaluateAsync(string uid, string database) =>
        AlertEvaluator.EvaluateAsync(GrafanaFiles.Rule(uid), q => influx.QueryAsync(database, q), ShapedNow);

    /// <summary>Writes ai_usage_rate 7d points for the three weeks up to yesterday into a new database.</summary>
    private async Task<string> ShapedUsageAsync(Func<int, double> org, Dictionary<string, Func<int, double>> departments)
    {
        var database = influx.NewDatabase();
        var lines = new List<string>();
        foreach (var (day, i) in Days(21).Select((d, i) => (d, i)))
        {
            lines.Add(DemoData.KpiLine("ai_usage_rate", "7d", null, day, org(i)));
            lines.AddRange(departments.Select(p => DemoData.KpiLine("ai_usage_rate", "7d", p.Key, day, p.Value(i))));
        }

        await DemoData.WriteLinesAsync(influx.Server, database, lines);
        return database;
    }

    /// <summary>The <paramref name="count"/> days ending yesterday, oldest first.</summary>
    private static IEnumerable<DateOnly> Days(int count) => Enumerable.Range(0, count).Select(i => Yesterday.AddDays(i - count + 1));

    private static Func<int, double> Steady(double value) => _ => value;

    /// <summary>At <paramref name="before"/> for the first two weeks, then <paramref name="after"/> in the last week.</summary>
    private static Func<int, double> Falling(double before, double after) => i => i < 14 ? before : after;
}
