using Metrics.Core.Events;

namespace Metrics.Sources.Sync;

/// <summary>The last check before an event is stored: implausible times and missing keys become bad items, never events.</summary>
public static class EventGuard
{
    public const int MaxKeyLength = EventLineParser.MaxKeyLength;

    /// <summary>Why the event cannot be stored, or null when it can. <paramref name="timeRange"/> is the configured
    /// <c>Kpi:EarliestTime</c>/<c>Kpi:MaxFutureSkew</c>, the same range import and the push API apply, so a time one entry
    /// point refuses cannot come in through another.</summary>
    public static string? Check(CanonicalEvent e, DateTimeOffset now, PlausibleTimeRange timeRange)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(timeRange);
        if (string.IsNullOrWhiteSpace(e.Id) || e.Id.Length > MaxKeyLength)
        {
            return "missing or over-long id";
        }

        if (string.IsNullOrWhiteSpace(e.Person) || e.Person.Length > MaxKeyLength)
        {
            return "missing identity";
        }

        if (timeRange.Check(e.Time, now) is { } implausible)
        {
            return implausible;
        }

        if (EventTypes.SubjectAttribute(e.Type) is { } attribute
            && (string.IsNullOrWhiteSpace(e.Subject) || e.Subject.Length > MaxKeyLength))
        {
            return $"missing or over-long {attribute}";
        }

        return null;
    }
}
