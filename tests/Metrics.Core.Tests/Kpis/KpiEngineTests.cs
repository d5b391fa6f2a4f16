using Metrics.Core.Directory;
using Metrics.Core.Events;
using Metrics.Core.Kpis;

namespace Metrics.Core.Tests.Kpis;

public class KpiEngineTests
{
    private static readonly DateOnly Day = new(2026, 5, 4);

    private static CanonicalEvent Ai(string person, DateTimeOffset time, string id) =>
        new("s", id, EventType.AiUsed, time, person, null, false, "{}");

    private static OrgDirectory People(string department, int count, int offset = 0) => OrgDirectory.Build(
        Enumerable.Range(offset, count).Select(i => new DirectoryRecord($"p{i}", department, Level.Frontline, new DateOnly(2026, 1, 1), null)));

    [Fact]
    public void Compute_EmptyOrg_WritesOrgCountsButNoRatios()
    {
        var engine = new KpiEngine(new KpiOptions());

        var points = engine.Compute([], OrgDirectory.Build([]), CourseCatalog.Empty, Day, Day).ToList();

        Assert.Contains(points, p => p.Kpi == "headcount" && p.Department is null && p.Value == 0);
        Assert.DoesNotContain(points, p => !p.IsCount);
        Assert.All(points, p => Assert.Null(p.Department));
    }

    [Fact]
    public void Compute_DepartmentBelowMinimumAndMergedBelowMinimum_OnlyOrgWritten()
    {
        var engine = new KpiEngine(new KpiOptions { MinimumGroupSize = 5 });

        var points = engine.Compute([Ai("p0", new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero), "1")], People("Tiny", 4), CourseCatalog.Empty, Day, Day).ToList();

        Assert.All(points, p => Assert.Null(p.Department));
        Assert.Contains(points, p => p.Kpi == "ai_usage_rate" && p.Window == "1d" && p.Value == 0.25);
    }

    [Fact]
    public void Compute_DepartmentAtMinimum_WrittenUnderItsName()
    {
        var engine = new KpiEngine(new KpiOptions { MinimumGroupSize = 5 });

        var points = engine.Compute([], People("Five", 5), CourseCatalog.Empty, Day, Day).ToList();

        Assert.Contains(points, p => p.Kpi == "headcount" && p.Department == "Five" && p.Value == 5);
    }

    [Fact]
    public void Compute_OnePersonWithTwoTools_CountsOnceForEachToolAndOnceInActiveAiUsers()
    {
        var engine = new KpiEngine(new KpiOptions { MinimumGroupSize = 2 });
        var at = new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);
        CanonicalEvent Used(string id, string attributes) => new("s", id, EventType.AiUsed, at, "p0", null, false, attributes);

        var points = engine.Compute(
            [Used("1", "{\"tool\":\"word\"}"), Used("2", "{\"tool\":\"github-copilot\"}"), Used("3", "{\"tool\":\"Word\"}")],
            People("Team", 4), CourseCatalog.Empty, Day, Day).ToList();

        Assert.Contains(points, p => p.Kpi == "active_ai_users" && p.Window == "7d" && p.Department is null && p.Value == 1);
        var users = points.Where(p => p.Kpi == "ai_tool_users" && p.Window == "7d" && p.Department == "Team").ToDictionary(p => p.Tool!, p => p.Value);
        Assert.Equal(new Dictionary<string, double> { ["word"] = 1, ["github-copilot"] = 1 }, users);
        Assert.Contains(points, p => p.Kpi == "ai_tool_usage_rate" && p.Window == "28d" && p.Department == "Team" && p.Tool == "word" && p.Value == 0.25);
    }

    [Fact]
    public void Compute_ManyDifferentToolNames_AddOnlyTheOtherSeries()
    {
        var engine = new KpiEngine(new KpiOptions { MinimumGroupSize = 2 });
        var at = new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero);
        var events = Enumerable.Range(0, 500).Select(i => new CanonicalEvent("push", $"e{i}", EventType.AiUsed, at.AddSeconds(i), $"p{i % 10}", null, false,
            $"{{\"tool\":\"tool-{i}\\u0000,x=y\"}}")).ToList();

        var points = engine.Compute(events, People("Team", 10), CourseCatalog.Empty, Day, Day).ToList();

        var tools = points.Where(p => p.Tool is not null).Select(p => p.Tool).Distinct().ToList();
        Assert.Equal([AiTools.Other], tools);
        Assert.Contains(points, p => p.Kpi == "ai_tool_users" && p.Window == "28d" && p.Department == "Team" && p.Tool == AiTools.Other && p.Value == 10);
    }

    [Fact]
    public void Constructor_MinimumGroupSizeBelowTwo_ThrowsNamingTheSetting()
    {
        var ex = Assert.Throws<ArgumentException>(() => new KpiEngine(new KpiOptions { MinimumGroupSize = 1 }));

        Assert.Contains("Kpi:MinimumGroupSize", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnknownTimeZone_ThrowsNamingTheSetting()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new KpiEngine(new KpiOptions { TimeZone = "Mars/Olympus" }));

        Assert.Contains("Kpi:TimeZone", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_EventsOutOfOrder_Throws()
    {
        var engine = new KpiEngine(new KpiOptions());
        var events = new[]
        {
            Ai("p0", new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero), "1"),
            Ai("p0", new DateTimeOffset(2026, 5, 2, 10, 0, 0, TimeSpan.Zero), "2"),
        };

        Assert.Throws<InvalidOperationException>(() => engine.Compute(events, People("D", 5), CourseCatalog.Empty, Day, Day).ToList());
    }

    [Fact]
    public void Compute_EventNearMidnight_CountsOnTheDayOfTheOrgZone()
    {
        var engine = new KpiEngine(new KpiOptions { TimeZone = "America/New_York", MinimumGroupSize = 2 });
        // 03:30 UTC on 05-05 is 23:30 on 05-04 in New York (EDT, -04:00).
        var events = new[] { Ai("p0", new DateTimeOffset(2026, 5, 5, 3, 30, 0, TimeSpan.Zero), "1") };

        var points = engine.Compute(events, People("D", 2), CourseCatalog.Empty, Day, Day.AddDays(1)).ToList();

        Assert.Equal(1, points.Single(p => p.Date == Day && p.Department is null && p.Kpi == "active_ai_users" && p.Window == "1d").Value);
        Assert.Equal(0, points.Single(p => p.Date == Day.AddDays(1) && p.Department is null && p.Kpi == "active_ai_users" && p.Window == "1d").Value);
    }

    [Fact]
    public void Compute_IdentityLinkedToPerson_ResolvesTheEvent()
    {
        var engine = new KpiEngine(new KpiOptions { MinimumGroupSize = 2 });
        var directory = OrgDirectory.Build(
            [new DirectoryRecord("p0", "D", Level.Frontline, new DateOnly(2026, 1, 1), null), new DirectoryRecord("p1", "D", Level.Frontline, new DateOnly(2026, 1, 1), null)],
            [new IdentityLink("jira:abc", "p0")]);

        var points = engine.Compute([Ai("jira:abc", new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero), "1")], directory, CourseCatalog.Empty, Day, Day).ToList();

        Assert.Equal(0.5, points.Single(p => p.Department is null && p.Kpi == "ai_usage_rate" && p.Window == "1d").Value);
    }

    [Fact]
    public void StreamBounds_Range_StartsFullHistory180DaysBeforeAndEndsAfterTheLastDay()
    {
        var engine = new KpiEngine(new KpiOptions { TimeZone = "Europe/Berlin" });

        var (fullHistoryBefore, end) = engine.StreamBounds(new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 31));

        Assert.Equal(new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.FromHours(1)), fullHistoryBefore);
        Assert.Equal(new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.FromHours(2)), end);
    }

    [Fact]
    public void KnowledgeShareRate_TwoSharesTenPeopleSevenDays_IsTwentyPerHundredPeoplePerWeek()
    {
        Assert.Equal(20.0, KpiEngine.KnowledgeShareRate(2, 10, 7), 12);
    }
}
