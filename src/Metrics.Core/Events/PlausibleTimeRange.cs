using System.Globalization;

namespace Metrics.Core.Events;

/// <summary>
/// The one rule for which event times are believable, shared by every entry point (canonical import, the source
/// connectors, the recompute range): not before <see cref="Earliest"/> and not more than <see cref="MaxFutureSkew"/>
/// ahead of now. A year-0001 or year-1900 time is a broken export, not history; accepting it would drag the dirty mark
/// back centuries and make every later recompute walk tens of thousands of empty days (or fail on the calendar's edge).
/// </summary>
/// <param name="Earliest">The first accepted instant (<c>Kpi:EarliestTime</c>, default 2000-01-01T00:00:00Z).</param>
/// <param name="MaxFutureSkew">How far past now a time may lie (<c>Kpi:MaxFutureSkew</c>, default 2 days): clocks drift,
/// and a planned event may be reported a little early, but not next year.</param>
public sealed record PlausibleTimeRange(DateTimeOffset Earliest, TimeSpan MaxFutureSkew)
{
    public static readonly DateTimeOffset DefaultEarliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan DefaultMaxFutureSkew = TimeSpan.FromDays(2);

    /// <summary>No configured earliest may lie before this: the KPI engine reads up to two years before a range, and
    /// the calendar must stay far from <see cref="DateTime.MinValue"/>.</summary>
    public static readonly DateTimeOffset FloorEarliest = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static PlausibleTimeRange Default { get; } = new(DefaultEarliest, DefaultMaxFutureSkew);

    /// <summary>Why <paramref name="time"/> is not plausible at <paramref name="now"/>, or null when it is.</summary>
    public string? Check(DateTimeOffset time, DateTimeOffset now)
    {
        if (time < Earliest)
        {
            return string.Create(CultureInfo.InvariantCulture, $"time {time:yyyy-MM-ddTHH:mm:sszzz} is before the earliest accepted time {Earliest:yyyy-MM-ddTHH:mm:ssZ} (Kpi:EarliestTime)");
        }

        if (time > now + MaxFutureSkew)
        {
            return string.Create(CultureInfo.InvariantCulture, $"time {time:yyyy-MM-ddTHH:mm:sszzz} is more than {MaxFutureSkew} in the future (Kpi:MaxFutureSkew)");
        }

        return null;
    }

    /// <summary>The first day a recompute may start on in the org's calendar: nothing before it can hold an accepted event.</summary>
    public DateOnly EarliestDay(TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Earliest, zone).DateTime);
    }

    /// <summary>Why this range cannot be used as configured, or null; names the settings.</summary>
    public string? Validate()
    {
        if (Earliest < FloorEarliest)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Kpi:EarliestTime must not be before {FloorEarliest:yyyy-MM-dd} (was {Earliest:o}).");
        }

        if (MaxFutureSkew < TimeSpan.Zero || MaxFutureSkew > TimeSpan.FromDays(366))
        {
            return $"Kpi:MaxFutureSkew must be between 00:00:00 and 366.00:00:00 (was {MaxFutureSkew}).";
        }

        return null;
    }
}
