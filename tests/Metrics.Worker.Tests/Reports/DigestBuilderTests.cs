using Metrics.Core.Kpis;
using Metrics.Worker.Reports;

namespace Metrics.Worker.Tests.Reports;

public sealed class DigestBuilderTests
{
    private static readonly DateOnly WeekEnd = new(2026, 11, 29);
    private static readonly DateOnly WeekBefore = WeekEnd.AddDays(-7);
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 7, 0, 0, TimeSpan.Zero);

    private static IEnumerable<KpiPoint> Department(DateOnly day, string? department, int people, double usage)
    {
        yield return new KpiPoint(day, department, "headcount", "day", people);
        yield return new KpiPoint(day, department, "ai_usage_rate", "28d", usage);
    }

    private static Digest Build(IEnumerable<KpiPoint> points, IReadOnlyList<SourceDataHealth>? health = null) =>
        DigestBuilder.Build(points, WeekEnd, 5, health ?? [], Now, "Europe/Berlin");

    [Fact]
    public void HeadlineKpis_EveryOne_IsACatalogKpiWrittenForThatWindow()
    {
        foreach (var (kpi, window) in DigestBuilder.HeadlineKpis.Append(DigestBuilder.RankingKpi))
        {
            var definition = KpiCatalog.Find(kpi);
            Assert.NotNull(definition);
            Assert.Contains(window, definition.Windows);
        }

        Assert.Contains(DigestBuilder.HeadlineKpis, h => KpiCatalog.Find(h.Kpi)!.Target == KpiCatalog.ProposerTarget);
        Assert.Contains(DigestBuilder.HeadlineKpis, h => KpiCatalog.Find(h.Kpi)!.Target == KpiCatalog.ConversionTarget);
    }

    [Fact]
    public void Build_DepartmentBelowMinimumGroupSize_NeverAppearsInRankingMoversOrHtml()
    {
        var points = Department(WeekEnd, null, 40, 0.5)
            .Concat(Department(WeekBefore, null, 40, 0.4))
            .Concat(Department(WeekEnd, "Sales", 12, 0.6))
            .Concat(Department(WeekBefore, "Sales", 12, 0.5))
            .Concat(Department(WeekEnd, "Tiny Team", 3, 1.0))
            .Concat(Department(WeekBefore, "Tiny Team", 3, 0.0))
            .Concat(Department(WeekEnd, KpiCatalog.SmallGroups, 7, 0.9))
            .Concat(Department(WeekBefore, KpiCatalog.SmallGroups, 7, 0.1));

        var digest = Build(points);
        var html = DigestHtml.Render(digest, 5);

        Assert.Equal(["Sales"], digest.Ranking.Rows.Select(r => r.Department));
        Assert.DoesNotContain(digest.Movers, m => m.Department is "Tiny Team" or KpiCatalog.SmallGroups);
        Assert.DoesNotContain("Tiny Team", html, StringComparison.Ordinal);
        Assert.DoesNotContain(KpiCatalog.SmallGroups, html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_TwoWeeks_RankingWithWeekOverWeekChangeAndLargestMoverFirst()
    {
        var points = Department(WeekEnd, null, 60, 0.50)
            .Concat(Department(WeekBefore, null, 60, 0.45))
            .Concat(Department(WeekEnd, "Sales", 20, 0.40))
            .Concat(Department(WeekBefore, "Sales", 20, 0.10))
            .Concat(Department(WeekEnd, "Finance", 20, 0.70))
            .Concat(Department(WeekBefore, "Finance", 20, 0.75))
            .Concat(Department(WeekEnd, "Legal", 20, 0.55));

        var digest = Build(points);

        Assert.Equal(["Finance", "Legal", "Sales"], digest.Ranking.Rows.Select(r => r.Department));
        Assert.Equal(-0.05, digest.Ranking.Rows[0].Change!.Value, 9);
        Assert.Null(digest.Ranking.Rows[1].Change);
        Assert.Equal(0.30, digest.Ranking.Rows[2].Change!.Value, 9);
        Assert.Equal("Sales", digest.Movers[0].Department);
        var usage = Assert.Single(digest.Headlines, h => h.Definition.Name == "ai_usage_rate");
        Assert.Equal(0.50, usage.Current);
        Assert.Equal(0.05, usage.Change!.Value, 9);
        Assert.Equal(Digest.Weeks, usage.Trend.Count);
        Assert.Equal([0.45, 0.50], usage.Trend.Where(v => v is not null));
    }

    [Fact]
    public void Render_Digest_SelfContainedWithAChartPerHeadlineAndTheTargetLines()
    {
        var points = Department(WeekEnd, null, 60, 0.5)
            .Append(new KpiPoint(WeekEnd, null, "proposer_rate", "28d", 0.2))
            .Append(new KpiPoint(WeekEnd, null, "proposal_conversion_rate", "cohort", 0.25));
        var stale = new SourceDataHealth("lms", 100, 10, Now.AddDays(-5), 3, Now.AddDays(-5));

        var html = DigestHtml.Render(Build(points, [stale]), 5);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"(src|href)\s*=\s*""(https?:)?//", html);
        Assert.Equal(DigestBuilder.HeadlineKpis.Count, System.Text.RegularExpressions.Regex.Count(html, "<svg"));
        Assert.Contains("target 40.0 %", html, StringComparison.Ordinal);
        Assert.Contains("target 30.0 %", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-source=\"lms\" class=\"warn\"><td>lms (stale", html, StringComparison.Ordinal);
        Assert.Contains("<td>90.0 %</td>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ai_usage_rate", 0.4231, "42.3 %")]
    [InlineData("headcount", 1234, "1,234")]
    [InlineData("knowledge_share_rate", 2.25, "2.3 per 100 people/week")]
    public void Format_ByKind_ReadsAsPeopleExpect(string kpi, double value, string expected) =>
        Assert.Equal(expected, DigestHtml.Format(KpiCatalog.Find(kpi)!, value));
}
