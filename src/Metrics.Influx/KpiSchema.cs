using Metrics.Core.Kpis;

namespace Metrics.Influx;

/// <summary>
/// How a KPI point is laid out in InfluxDB (docs/schema.md): measurement <c>kpi</c>, tags <c>kpi</c>, <c>window</c>,
/// <c>scope</c> and (department scope only) <c>department</c>, one float field <c>value</c>, timestamped at the start of
/// the KPI's date in the org time zone.
/// </summary>
public static class KpiSchema
{
    public const string Measurement = "kpi";

    /// <summary>The tiered breakdown (<c>training_completion_rate</c> per level), tagged like <see cref="Measurement"/> plus <see cref="LevelTag"/>.</summary>
    public const string ByLevelMeasurement = "kpi_by_level";

    public const string LevelTag = "level";

    /// <summary>AI use per tool (<c>ai_tool_users</c>, <c>ai_tool_usage_rate</c>), tagged like <see cref="Measurement"/> plus <see cref="ToolTag"/>.</summary>
    public const string ByToolMeasurement = "kpi_by_tool";

    public const string ToolTag = "tool";

    /// <summary>
    /// The year-long per-department trends of the boards (docs/schema.md): the department points of
    /// <see cref="TrendKpis"/> once more, each with <see cref="MaxRangeField"/>, the longest board range in seconds that
    /// draws it. A board reads <c>"max_range_s" &gt;= ${__range_s}</c>: every day over up to <see cref="DailyMaxRange"/>,
    /// one point a week (each Sunday and the last day of a recompute) over longer ranges, so a year of 50 departments
    /// is about 2,600 points instead of 18,000, each the KPI's value on its day.
    /// </summary>
    public const string TrendMeasurement = "kpi_trend";

    public const string MaxRangeField = "max_range_s";

    /// <summary>The (kpi, window) pairs whose department series <see cref="TrendMeasurement"/> repeats: the boards' per-department trends.</summary>
    public static IReadOnlyList<(string Kpi, string Window)> TrendKpis { get; } = [("training_completion_rate", "day"), ("ai_usage_rate", "28d")];

    /// <summary>Up to this board range every day of a trend is drawn (120 days: the boards open on 90).</summary>
    public static readonly TimeSpan DailyMaxRange = TimeSpan.FromDays(120);

    /// <summary>The <see cref="MaxRangeField"/> of a weekly sample: drawn at any range (100 years).</summary>
    public static readonly TimeSpan SampleMaxRange = TimeSpan.FromDays(36_500);

    /// <summary>Every measurement a range of KPIs is written to, so a recompute deletes all of them.</summary>
    public static IReadOnlyList<string> Measurements { get; } = [Measurement, ByLevelMeasurement, ByToolMeasurement, TrendMeasurement];
    public const string KpiTag = "kpi";
    public const string WindowTag = "window";
    public const string ScopeTag = "scope";
    public const string DepartmentTag = "department";
    public const string ValueField = "value";
    public const string OrgScope = "org";
    public const string DepartmentScope = "department";

    /// <summary>Whether a point is repeated in <see cref="TrendMeasurement"/>: a department point of one of <see cref="TrendKpis"/>.</summary>
    public static bool IsTrend(KpiPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (point.Department is null || point.Level is not null || point.Tool is not null)
        {
            return false;
        }

        foreach (var (kpi, window) in TrendKpis)
        {
            if (point.Kpi == kpi && point.Window == window)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The longest board range that draws a trend point of <paramref name="date"/> written by a recompute through
    /// <paramref name="to"/>: any range for a Sunday and for the recompute's last day (so a year-long line reaches the
    /// latest value), else <see cref="DailyMaxRange"/>.
    /// </summary>
    public static long TrendMaxRangeSeconds(DateOnly date, DateOnly to) =>
        (long)(date.DayOfWeek == DayOfWeek.Sunday || date == to ? SampleMaxRange : DailyMaxRange).TotalSeconds;

    /// <summary>
    /// The first instant of <paramref name="date"/> in <paramref name="zone"/>, truncated to whole seconds. Normally local
    /// midnight; when a DST gap swallows midnight it is the first instant after the gap, and when midnight occurs twice
    /// it is the first occurrence, so every date has exactly one deterministic timestamp.
    /// </summary>
    public static DateTimeOffset DayStart(DateOnly date, TimeZoneInfo zone)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        DateTimeOffset start;
        if (zone.IsInvalidTime(midnight))
        {
            start = FirstInstantAtOrAfter(midnight, zone);
        }
        else if (zone.IsAmbiguousTime(midnight))
        {
            // The larger offset belongs to the earlier of the two instants that read as midnight.
            var offset = zone.GetAmbiguousTimeOffsets(midnight).Max();
            start = new DateTimeOffset(midnight, offset);
        }
        else
        {
            start = new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
        }

        return DateTimeOffset.FromUnixTimeSeconds(start.ToUnixTimeSeconds()).ToOffset(start.Offset);
    }

    /// <summary>The date in <paramref name="zone"/> of an instant, the inverse of <see cref="DayStart"/>.</summary>
    public static DateOnly DateOf(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    private static DateTimeOffset FirstInstantAtOrAfter(DateTime localMidnight, TimeZoneInfo zone)
    {
        // UTC offsets lie within ±14 h, so the answer is inside this window, and local time only moves forward across it
        // (a second transition within a day of a gap does not occur in tzdata); binary search on whole seconds.
        var naive = new DateTimeOffset(localMidnight, TimeSpan.Zero).ToUnixTimeSeconds();
        long lo = naive - (15 * 3600), hi = naive + (15 * 3600);
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(mid), zone).DateTime;
            if (local >= localMidnight)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        var instant = DateTimeOffset.FromUnixTimeSeconds(lo);
        return instant.ToOffset(zone.GetUtcOffset(instant));
    }
}
