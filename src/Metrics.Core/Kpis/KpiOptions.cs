using System.ComponentModel.DataAnnotations;
using Metrics.Core.Events;

namespace Metrics.Core.Kpis;

/// <summary>How KPIs are computed. Bound from the <c>Kpi</c> configuration section.</summary>
public sealed class KpiOptions
{
    public const string SectionName = "Kpi";

    /// <summary>The org's IANA time zone; an event's day is its calendar date there.</summary>
    /// <value>Default <c>UTC</c>.</value>
    [Required]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Departments with fewer people on a day are merged into <c>(small groups)</c>.</summary>
    /// <value>Default 5; never below 2.</value>
    [Range(2, 100_000)]
    public int MinimumGroupSize { get; set; } = 5;

    /// <summary>
    /// The required-course catalog from configuration: course id to the levels it is required for, separated by
    /// <c>;</c> (<c>"ai-basics": "executive;frontline"</c>). A catalog imported with <c>import --courses</c> adds to it
    /// and wins for the same course id.
    /// </summary>
    /// <value>Default empty.</value>
    public Dictionary<string, string> RequiredCourses { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The first instant an event may carry; earlier ones are rejected at every entry point, and no recompute starts before its day.</summary>
    /// <value>Default 2000-01-01T00:00:00Z; never before 1900.</value>
    public DateTimeOffset EarliestTime { get; set; } = PlausibleTimeRange.DefaultEarliest;

    /// <summary>How far past now an event time may lie before it is rejected.</summary>
    /// <value>Default 2 days.</value>
    public TimeSpan MaxFutureSkew { get; set; } = PlausibleTimeRange.DefaultMaxFutureSkew;

    /// <summary>The plausible event times these settings describe.</summary>
    public PlausibleTimeRange TimeRange => new(EarliestTime, MaxFutureSkew);

    /// <summary>Resolves <see cref="TimeZone"/>; throws with the setting's name when it is not a known zone.</summary>
    public TimeZoneInfo ResolveTimeZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidOperationException($"Kpi:TimeZone '{TimeZone}' is not a known IANA time zone (for example Europe/Berlin).", ex);
        }
    }
}
