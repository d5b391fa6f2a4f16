using Metrics.Core.Directory;
using Metrics.Core.Events;
using Metrics.Core.Kpis;
using Metrics.Testing.Golden;

namespace Metrics.Core.Tests.Kpis;

public class KpiEngineGoldenTests
{
    private static readonly KpiEngine Engine = new(new KpiOptions
    {
        TimeZone = GoldenCompany.TimeZone,
        MinimumGroupSize = GoldenCompany.MinimumGroupSize,
    });

    private static List<KpiPoint> ComputeGolden(DateOnly from, DateOnly to, ComputeStats? stats = null)
    {
        var events = GoldenInput.ParseEvents(GoldenCompany.Events + "\n" + GoldenCompany.LateEvents);
        return Engine.Compute(EventSet.Effective(events), GoldenInput.Directory(), GoldenInput.Courses(), from, to, stats).ToList();
    }

    [Fact]
    public void Compute_GoldenCompany_EveryPointOfTheCheckDaysMatchesTheHandComputedValue()
    {
        var points = ComputeGolden(GoldenCompany.DayA.AddDays(-2), GoldenCompany.DayB);

        foreach (var day in new[] { GoldenCompany.DayA, GoldenCompany.DayB })
        {
            var expected = GoldenCompany.Expected.Where(e => e.Date == day)
                .ToDictionary(e => (e.Department, e.Kpi, e.Window), e => e.Value);
            var actual = points.Where(p => p.Date == day && p.Level is null && p.Tool is null).ToList();

            var missing = expected.Keys.Except(actual.Select(p => (p.Department, p.Kpi, p.Window))).ToList();
            Assert.True(missing.Count == 0, $"{day}: missing {string.Join("; ", missing)}");
            foreach (var p in actual)
            {
                Assert.True(expected.TryGetValue((p.Department, p.Kpi, p.Window), out var value),
                    $"{day}: unexpected point {p.Department ?? "org"} {p.Kpi} {p.Window} = {p.Value}");
                Assert.True(Math.Abs(value - p.Value) < 1e-9, $"{day} {p.Department ?? "org"} {p.Kpi} {p.Window}: expected {value}, got {p.Value}");
            }

            Assert.Equal(expected.Count, actual.Count);
        }
    }

    [Fact]
    public void Compute_GoldenCompany_TierBreakdownOnlyForLevelsAtTheMinimumGroupSize()
    {
        var points = ComputeGolden(GoldenCompany.DayA, GoldenCompany.DayB);

        var tiers = points
            .Where(p => p.Level is not null && (p.Date == GoldenCompany.DayA || p.Date == GoldenCompany.DayB))
            .Select(p => (p.Date, p.Department, Level: Levels.Name(p.Level!.Value), p.Value))
            .ToList();

        Assert.All(tiers, t => Assert.Equal("training_completion_rate", points.First(p => p.Level is not null).Kpi));
        Assert.Equal(GoldenCompany.ExpectedByLevel.Count, tiers.Count);
        foreach (var expected in GoldenCompany.ExpectedByLevel)
        {
            var actual = Assert.Single(tiers, t => t.Date == expected.Date && t.Department == expected.Department && t.Level == expected.Level);
            Assert.Equal(expected.Value, actual.Value, 12);
        }
    }

    [Fact]
    public void Compute_GoldenCompany_AiUseByToolMatchesTheHandComputedUsersAndRates()
    {
        var points = ComputeGolden(GoldenCompany.DayA.AddDays(-2), GoldenCompany.DayB);

        var byTool = points.Where(p => p.Tool is not null && (p.Date == GoldenCompany.DayA || p.Date == GoldenCompany.DayB)).ToList();

        Assert.Equal(GoldenCompany.ExpectedByTool.Count * 2, byTool.Count);
        foreach (var e in GoldenCompany.ExpectedByTool)
        {
            var users = Assert.Single(byTool, p => p.Date == e.Date && p.Department == e.Department && p.Tool == e.Tool && p.Window == e.Window && p.Kpi == "ai_tool_users");
            Assert.Equal(e.Users, users.Value);
            var rate = Assert.Single(byTool, p => p.Date == e.Date && p.Department == e.Department && p.Tool == e.Tool && p.Window == e.Window && p.Kpi == "ai_tool_usage_rate");
            Assert.Equal((double)e.Users / GoldenCompany.Headcount(e.Date, e.Department), rate.Value, 12);
        }
    }

    [Fact]
    public void Compute_GoldenCompany_UnknownPeopleAndLeaversAreCountedAsUnresolvedPerSource()
    {
        var stats = new ComputeStats();
        ComputeGolden(GoldenCompany.DayA, GoldenCompany.DayB, stats).ForEach(_ => { });

        // zed is unknown and ivan's 03-10 event is after he left; everything else resolves.
        Assert.Equal(2, stats.BySource["lowcode"].Unresolved);
        Assert.Equal(0, stats.BySource["lms"].Unresolved);
        Assert.Equal(0, stats.BySource["ticketing"].Unresolved);
        Assert.Equal(8, stats.DaysComputed);
    }

    [Fact]
    public void Compute_GoldenCompany_CountsEachDaysEventsPerSourceOnThatDay()
    {
        var stats = new ComputeStats();
        var from = GoldenCompany.DayA.AddDays(-10);
        ComputeGolden(from, GoldenCompany.DayB, stats).ForEach(_ => { });

        var zone = TimeZoneInfo.FindSystemTimeZoneById(GoldenCompany.TimeZone);
        var expected = EventSet.Effective(GoldenInput.ParseEvents(GoldenCompany.Events + "\n" + GoldenCompany.LateEvents))
            .Select(e => (Date: DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(e.Time, zone).DateTime), e.Source))
            .Where(x => x.Date >= from && x.Date <= GoldenCompany.DayB)
            .GroupBy(x => x)
            .ToDictionary(g => g.Key, g => (long)g.Count());
        var actual = stats.DailyBySource
            .SelectMany(d => d.Value.Select(s => (Key: (d.Key, s.Key), Count: s.Value.Resolved + s.Value.Unresolved)))
            .ToDictionary(x => x.Key, x => x.Count);

        Assert.True(expected.Count > 3, "the golden company has events of several sources on several days of the range");
        Assert.Equal(expected.OrderBy(x => x.Key).ToList(), actual.OrderBy(x => x.Key).ToList());
        Assert.Equal(2, stats.BySource["lowcode"].Unresolved);
    }

    [Fact]
    public void Compute_GoldenCompany_PeopleCoveredPerSourceOnTheLastDay()
    {
        var stats = new ComputeStats();

        ComputeGolden(GoldenCompany.DayA, GoldenCompany.DayB, stats).ForEach(_ => { });

        // In scope on 03-10: 11 (ivan left). 28 days = 02-11..03-10.
        // lowcode: alice, dave, erin, grace, judy, bob, niaj, carol (ai.used), heidi (pr1); ivan left, zed is unknown.
        // lms: alice t2, bob t4/k1, grace t5, judy t6, frank t7, dave t8 (an enrolment is an event too), carol t9,
        // mallory k2; heidi's completion was retracted (the retraction, void-1, is no event of hers in the KPIs).
        // ticketing: dave p1/w-done, frank p2/d2/y-*, judy p3, erin c2a/d1, niaj d3, heidi x-m2; alice's X events are
        // from 02-01, before the window.
        var people = Assert.IsType<PeopleCoverage>(stats.People);
        Assert.Equal(GoldenCompany.DayB, people.Date);
        Assert.Equal(11, people.Headcount);
        Assert.Equal(new Dictionary<string, int> { ["lowcode"] = 9, ["lms"] = 8, ["ticketing"] = 6 }, people.BySource);
    }

    [Fact]
    public void Compute_SameInputTwice_GivesIdenticalPoints()
    {
        var first = ComputeGolden(GoldenCompany.DayA, GoldenCompany.DayB);
        var second = ComputeGolden(GoldenCompany.DayA, GoldenCompany.DayB);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Compute_AnyRange_NeverWritesADepartmentBelowTheMinimumOrAPersonId()
    {
        var points = ComputeGolden(new DateOnly(2025, 9, 1), new DateOnly(2026, 3, 31));

        Assert.DoesNotContain(points, p => p.Department is "Ops" or "Legal");
        Assert.DoesNotContain(points, p => p.Department?.Contains('@', StringComparison.Ordinal) == true);
        Assert.All(points.Where(p => p.Kpi == "headcount" && p.Department is not null), p => Assert.True(p.Value >= GoldenCompany.MinimumGroupSize));
        Assert.All(points.Where(p => !p.IsCount), p => Assert.InRange(p.Value, 0.0, p.Kpi == "knowledge_share_rate" ? double.MaxValue : 1.0));
        Assert.All(points, p => Assert.False(double.IsNaN(p.Value) || double.IsInfinity(p.Value)));
        Assert.All(points.Where(p => p.Tool is not null), p => Assert.Contains(p.Tool, AiTools.Names));
    }

    [Fact]
    public void Compute_RangeStartingLate_EqualsTheSameDaysOfALongerRange()
    {
        var longRange = ComputeGolden(new DateOnly(2026, 1, 1), GoldenCompany.DayB).Where(p => p.Date >= GoldenCompany.DayA).ToList();
        var shortRange = ComputeGolden(GoldenCompany.DayA, GoldenCompany.DayB);

        Assert.Equal(longRange, shortRange);
    }
}
