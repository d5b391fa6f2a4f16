namespace Metrics.Core.Events;

/// <summary>
/// The spec's event semantics over an in-memory list: a later event with the same (source, id) replaces the earlier,
/// a retraction removes its target of the same source whatever the order, retractions themselves are not events.
/// The durable journal implements the same rules in SQL; this is the reference for small inputs and tests.
/// </summary>
public static class EventSet
{
    public static IReadOnlyList<CanonicalEvent> Effective(IEnumerable<CanonicalEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var latest = new Dictionary<(string, string), CanonicalEvent>();
        foreach (var e in events)
        {
            latest[(e.Source, e.Id)] = e;
        }

        var retracted = latest.Values
            .Where(e => e.Type == EventType.EventRetracted)
            .Select(e => (e.Source, e.Subject!))
            .ToHashSet();

        return latest.Values
            .Where(e => e.Type != EventType.EventRetracted && !retracted.Contains((e.Source, e.Id)))
            .OrderBy(e => e.Time.UtcTicks)
            .ThenBy(e => e.Source, StringComparer.Ordinal)
            .ThenBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
    }
}
