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

    /// <summary>Every measurement a range of KPIs is written to, so a recompute deletes all of them.</summary>
    public static IReadOnlyList<string> Measurements { get; } = [Measurement, ByLevelMeasurement, ByToolMeasurement];
    public const string KpiTag = "kpi";
    public const string WindowTag = "window";
    public const string ScopeTag = "scope";
    public const string DepartmentTag = "department";
    public const string ValueField = "value";
    public const string OrgScope = "org";
    public const string DepartmentScope = "department";

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
