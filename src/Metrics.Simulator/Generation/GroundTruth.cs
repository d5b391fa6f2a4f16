using System.Text.Json.Nodes;
using Metrics.Core.Events;

namespace Metrics.Simulator.Generation;

/// <summary>What kind of item a connector sees differently from the canonical truth, and why.</summary>
public enum DifferenceKind
{
    /// <summary>A malformed or unusable item the connector must reject (bad item); it is not in the events.</summary>
    Rejected,

    /// <summary>Served and mapped, but its person is in no directory: unresolved in both paths, counted by no KPI.</summary>
    Unresolved,

    /// <summary>A voided xAPI statement: never listed by the LRS, so neither the connector nor the export has its event.</summary>
    Voided,

    /// <summary>An issue outside the configured JQL restriction: the connector must not read it.</summary>
    OutsideQuery,

    /// <summary>Sound data the KPIs do not use (an unmapped xAPI verb, a queued n8n execution): counted as ignored, neither an event nor a bad item.</summary>
    Ignored,
}

/// <summary>One item the connectors treat specially, with its source id and the reason.</summary>
public sealed record ExpectedDifference(string Source, string ItemId, DifferenceKind Kind, string Reason);

/// <summary>The canonical events the connectors must produce from the served data, and the items they must not.</summary>
public sealed class GroundTruth
{
    private readonly List<CanonicalEvent> _events = [];
    private readonly List<ExpectedDifference> _differences = [];
    private readonly List<Metrics.Core.Directory.IdentityLink> _identities = [];

    public IReadOnlyList<CanonicalEvent> Events => _events;

    /// <summary>The identity map a deployment keeps for sources without e-mail (GitHub logins): exported as identity-map.csv.</summary>
    public IReadOnlyList<Metrics.Core.Directory.IdentityLink> Identities => _identities;

    public IReadOnlyList<ExpectedDifference> Differences => _differences;

    /// <summary>Adds an event with its attributes in the order the connectors write them (subject, aiAssisted, tool).</summary>
    public CanonicalEvent Add(string source, string id, EventType type, DateTimeOffset time, string person, string? subject, bool aiAssisted = false, string? tool = null)
    {
        var e = Create(source, id, type, time, person, subject, aiAssisted, tool);
        _events.Add(e);
        return e;
    }

    public static CanonicalEvent Create(string source, string id, EventType type, DateTimeOffset time, string person, string? subject, bool aiAssisted = false, string? tool = null)
    {
        var attributes = new JsonObject();
        if (EventTypes.SubjectAttribute(type) is { } name && subject is not null)
        {
            attributes[name] = subject;
        }

        if (type == EventType.DecisionRecorded)
        {
            attributes["aiAssisted"] = aiAssisted;
        }

        if (tool is not null)
        {
            attributes["tool"] = tool;
        }

        return new CanonicalEvent(source, id, type, time, PersonKey.Normalize(person), subject, aiAssisted, attributes.ToJsonString());
    }

    public void AddEvent(CanonicalEvent e) => _events.Add(e);

    public void Link(string identity, string person) =>
        _identities.Add(new Metrics.Core.Directory.IdentityLink(PersonKey.Normalize(identity), PersonKey.Normalize(person)));

    public void Expect(string source, string itemId, DifferenceKind kind, string reason) =>
        _differences.Add(new ExpectedDifference(source, itemId, kind, reason));

    /// <summary>Events in a stable order: time, then source and id.</summary>
    public IReadOnlyList<CanonicalEvent> Ordered() =>
        [.. _events.OrderBy(e => e.Time.UtcTicks).ThenBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.Id, StringComparer.Ordinal)];
}
