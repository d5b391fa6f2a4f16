using Metrics.Core.Events;

namespace Metrics.Sources.Sync;

/// <summary>The last check before an event is stored: absurd times and missing keys become bad items, never events.</summary>
public static class EventGuard
{
    public const int MaxKeyLength = EventLineParser.MaxKeyLength;

    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan MaxFuture = TimeSpan.FromDays(2);

    /// <summary>Why the event cannot be stored, or null when it can.</summary>
    public static string? Check(CanonicalEvent e, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (string.IsNullOrWhiteSpace(e.Id) || e.Id.Length > MaxKeyLength)
        {
            return "missing or over-long id";
        }

        if (string.IsNullOrWhiteSpace(e.Person) || e.Person.Length > MaxKeyLength)
        {
            return "missing identity";
        }

        if (e.Time < Earliest)
        {
            return "time before 2000";
        }

        if (e.Time > now + MaxFuture)
        {
            return "time more than 2 days in the future";
        }

        if (EventTypes.SubjectAttribute(e.Type) is { } attribute
            && (string.IsNullOrWhiteSpace(e.Subject) || e.Subject.Length > MaxKeyLength))
        {
            return $"missing or over-long {attribute}";
        }

        return null;
    }
}
