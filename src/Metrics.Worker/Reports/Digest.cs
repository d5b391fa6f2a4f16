using Metrics.Core.Kpis;

namespace Metrics.Worker.Reports;

/// <summary>
/// The weekly executive digest as data: what the HTML shows, computed from stored KPI points only. Every value is one
/// stored point (a KPI, a window, a group, a day), so it can be checked against <c>kpis --format jsonl</c>. Its values
/// are the points of <c>WeekEnd</c>, the last day of the week it is about.
/// </summary>
public sealed record Digest(
    DateOnly WeekEnd,
    DateTimeOffset GeneratedAt,
    string TimeZone,
    IReadOnlyList<HeadlineKpi> Headlines,
    DepartmentRanking Ranking,
    IReadOnlyList<Mover> Movers,
    IReadOnlyList<SourceDataHealth> DataHealth)
{
    /// <summary>The number of weekly points of each trend.</summary>
    public const int Weeks = 12;

    public DateOnly WeekStart => WeekEnd.AddDays(-6);

    /// <summary>The end days of the trend's weeks, oldest first, ending with <see cref="WeekEnd"/>.</summary>
    public static IReadOnlyList<DateOnly> TrendDays(DateOnly weekEnd) =>
        [.. Enumerable.Range(0, Weeks).Select(i => weekEnd.AddDays(-7 * (Weeks - 1 - i)))];
}

/// <summary>One headline KPI of the org: this week's value, last week's, and the 12-week trend (null where nothing was stored).</summary>
public sealed record HeadlineKpi(KpiDefinition Definition, string Window, double? Current, double? Previous, IReadOnlyList<double?> Trend)
{
    public double? Change => Current is { } c && Previous is { } p ? c - p : null;
}

/// <summary>Departments ranked by one KPI on the digest's day, with the change since the week before.</summary>
public sealed record DepartmentRanking(KpiDefinition Definition, string Window, IReadOnlyList<RankedDepartment> Rows);

public sealed record RankedDepartment(string Department, long People, double Value, double? Previous)
{
    public double? Change => Previous is { } p ? Value - p : null;
}

/// <summary>A KPI of a group (null: the org) that changed much since last week.</summary>
public sealed record Mover(string? Department, KpiDefinition Definition, string Window, double Previous, double Current)
{
    public double Change => Current - Previous;
}

/// <summary>
/// Whether a source's numbers can be trusted: its events over the last 28 days, the share resolved to a person, when
/// it last synced without error and how many attempts failed since.
/// </summary>
public sealed record SourceDataHealth(string Source, long Events, long Unresolved, DateTimeOffset? LastSuccess, int Failures, DateTimeOffset? NewestEvent)
{
    /// <summary>Resolved events over all events; null without events.</summary>
    public double? Coverage => Events > 0 ? (double)(Events - Unresolved) / Events : null;
}

/// <summary>Builds the digest from stored points. Pure: the caller reads the store and the journal.</summary>
public static class DigestBuilder
{
    /// <summary>The headline KPIs and the window each is shown for, in the order of the executive overview board.</summary>
    public static IReadOnlyList<(string Kpi, string Window)> HeadlineKpis { get; } =
    [
        ("ai_usage_rate", "28d"),
        ("proposer_rate", "28d"),
        ("proposal_conversion_rate", "cohort"),
        ("bottom_up_share", "28d"),
        ("ai_decision_coverage", "28d"),
        ("training_completion_rate", "day"),
        ("cross_department_projects", "day"),
    ];

    /// <summary>The KPI the departments are ranked by.</summary>
    public static (string Kpi, string Window) RankingKpi { get; } = ("ai_usage_rate", "28d");

    private const int MoverCount = 5;

    /// <summary>
    /// From the stored points of the trend's days (<see cref="Digest.TrendDays"/>; other days are ignored). Departments
    /// with fewer than <paramref name="minimumGroupSize"/> people on a day are left out, whatever the store holds.
    /// </summary>
    public static Digest Build(
        IEnumerable<KpiPoint> points,
        DateOnly weekEnd,
        int minimumGroupSize,
        IReadOnlyList<SourceDataHealth> dataHealth,
        DateTimeOffset generatedAt,
        string timeZone)
    {
        ArgumentNullException.ThrowIfNull(points);
        var days = Digest.TrendDays(weekEnd).ToHashSet();
        var previousDay = weekEnd.AddDays(-7);
        var values = new Dictionary<(DateOnly Day, string? Department, string Kpi, string Window), double>();
        foreach (var p in points)
        {
            if (p.Level is null && p.Tool is null && days.Contains(p.Date))
            {
                values[(p.Date, p.Department, p.Kpi, p.Window)] = p.Value;
            }
        }

        double? Value(DateOnly day, string? department, string kpi, string window) =>
            values.TryGetValue((day, department, kpi, window), out var v) ? v : null;

        bool Reportable(DateOnly day, string department) =>
            department != KpiCatalog.SmallGroups && Value(day, department, "headcount", "day") is { } people && people >= minimumGroupSize;

        var headlines = HeadlineKpis
            .Select(h => new HeadlineKpi(
                Definition(h.Kpi, h.Window),
                h.Window,
                Value(weekEnd, null, h.Kpi, h.Window),
                Value(previousDay, null, h.Kpi, h.Window),
                [.. Digest.TrendDays(weekEnd).Select(d => Value(d, null, h.Kpi, h.Window))]))
            .ToList();

        var departments = values.Keys
            .Where(k => k.Day == weekEnd && k.Department is not null)
            .Select(k => k.Department!)
            .Distinct(StringComparer.Ordinal)
            .Where(d => Reportable(weekEnd, d))
            .ToList();

        var (rankKpi, rankWindow) = RankingKpi;
        var ranking = new DepartmentRanking(
            Definition(rankKpi, rankWindow),
            rankWindow,
            [.. departments
                .Where(d => Value(weekEnd, d, rankKpi, rankWindow) is not null)
                .Select(d => new RankedDepartment(
                    d,
                    (long)Value(weekEnd, d, "headcount", "day")!.Value,
                    Value(weekEnd, d, rankKpi, rankWindow)!.Value,
                    Reportable(previousDay, d) ? Value(previousDay, d, rankKpi, rankWindow) : null))
                .OrderByDescending(r => r.Value)
                .ThenBy(r => r.Department, StringComparer.Ordinal)]);

        // Ratios only: a change in percentage points compares across KPIs, a change of a count does not.
        var movers = new List<Mover>();
        foreach (var (kpi, window) in HeadlineKpis)
        {
            var definition = Definition(kpi, window);
            if (definition.IsCount)
            {
                continue;
            }

            foreach (var group in departments.Where(d => Reportable(previousDay, d)).Prepend(null))
            {
                if (Value(weekEnd, group, kpi, window) is { } current && Value(previousDay, group, kpi, window) is { } previous && current != previous)
                {
                    movers.Add(new Mover(group, definition, window, previous, current));
                }
            }
        }

        return new Digest(
            weekEnd,
            generatedAt,
            timeZone,
            headlines,
            ranking,
            [.. movers.OrderByDescending(m => Math.Abs(m.Change)).ThenBy(m => m.Department ?? string.Empty, StringComparer.Ordinal).ThenBy(m => m.Definition.Name, StringComparer.Ordinal).Take(MoverCount)],
            dataHealth);
    }

    private static KpiDefinition Definition(string kpi, string window)
    {
        var definition = KpiCatalog.Find(kpi) ?? throw new InvalidOperationException($"the digest shows '{kpi}', which is not in the KPI catalog");
        return definition.Windows.Contains(window, StringComparer.Ordinal)
            ? definition
            : throw new InvalidOperationException($"the digest shows '{kpi}' for window '{window}', which the KPI catalog does not write");
    }
}
