using System.Text.Json;
using System.Text.Json.Nodes;
using Metrics.Core.Directory;
using Metrics.Core.Events;
using Metrics.Core.Ports;

namespace Metrics.Sources.Common;

/// <summary>Collects one page's mapped events, bad items and ignored items.</summary>
public sealed class PageBuilder(string source)
{
    private readonly List<CanonicalEvent> _events = [];
    private readonly List<BadItem> _bad = [];
    private readonly Dictionary<string, int> _ignored = new(StringComparer.Ordinal);
    private readonly List<IdentityLink> _links = [];

    public string Source => source;

    public int ItemCount { get; set; }

    public IReadOnlyList<CanonicalEvent> Events => _events;

    /// <summary>Adds an event; <paramref name="extra"/> holds further string attributes (e.g. the editor of a GitHub Copilot seat), null values left out.</summary>
    public void Add(string id, EventType type, DateTimeOffset time, string person, string? subject, bool aiAssisted = false, string? tool = null,
        IEnumerable<KeyValuePair<string, string?>>? extra = null)
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

        foreach (var (key, value) in extra ?? [])
        {
            if (value is not null)
            {
                attributes[key] = value;
            }
        }

        _events.Add(new CanonicalEvent(source, id, type, time, PersonKey.Normalize(person), subject, aiAssisted,
            attributes.ToJsonString(AttributesJson)));
    }

    public void Bad(string itemId, string reason) => _bad.Add(new BadItem(source, itemId, reason));

    public void Ignore(string reason) => _ignored[reason] = _ignored.GetValueOrDefault(reason) + 1;

    /// <summary>Records that a source identity belongs to a person key (both normalised).</summary>
    public void Link(string identity, string person)
    {
        var link = new IdentityLink(PersonKey.Normalize(identity), PersonKey.Normalize(person));
        if (link.Identity != link.Person && !_links.Contains(link))
        {
            _links.Add(link);
        }
    }

    public SourcePage Build(string? checkpoint) => new(_events.ToArray(), _bad.ToArray(), new Dictionary<string, int>(_ignored), checkpoint)
    {
        ItemCount = ItemCount,
        Links = _links.ToArray(),
    };

    private static readonly JsonSerializerOptions AttributesJson = new() { WriteIndented = false };
}
