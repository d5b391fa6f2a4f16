using System.Runtime.CompilerServices;
using Metrics.Core.Directory;
using Metrics.Core.Events;
using Metrics.Core.Ports;

namespace Metrics.Sources.Tests.Fakes;

/// <summary>A small journal double: events deduplicated on (source, id), directory, identities and a state dictionary.</summary>
public sealed class InMemoryEventJournal : IEventJournal
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, string), CanonicalEvent> _events = [];
    private readonly List<DirectoryRecord> _directory = [];
    private readonly Dictionary<string, string> _identities = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _state = new(StringComparer.Ordinal);
    private List<Course> _courses = [];

    public List<string> StateWrites { get; } = [];

    public int AppendCalls { get; private set; }

    public IReadOnlyList<CanonicalEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return _events.Values.OrderBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.Id, StringComparer.Ordinal).ToArray();
            }
        }
    }

    public IReadOnlyDictionary<string, string> Identities
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, string>(_identities);
            }
        }
    }

    public Task<AppendResult> AppendAsync(IReadOnlyList<CanonicalEvent> events, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            AppendCalls++;
            int inserted = 0, replaced = 0, unchanged = 0;
            foreach (var e in events)
            {
                if (!_events.TryGetValue((e.Source, e.Id), out var old))
                {
                    inserted++;
                }
                else if (old == e)
                {
                    unchanged++;
                }
                else
                {
                    replaced++;
                }

                _events[(e.Source, e.Id)] = e;
            }

            return Task.FromResult(new AppendResult(inserted, replaced, unchanged));
        }
    }

    public async IAsyncEnumerable<CanonicalEvent> StreamAsync(DateTimeOffset fullHistoryBefore, DateTimeOffset end, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var e in Events.Where(e => e.Time < end).OrderBy(e => e.Time))
        {
            yield return e;
        }
    }

    public Task ReplaceDirectoryAsync(IReadOnlyList<DirectoryRecord> records, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var people = records.Select(r => r.Person).ToHashSet(StringComparer.Ordinal);
            _directory.RemoveAll(r => people.Contains(r.Person));
            _directory.AddRange(records);
            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<DirectoryRecord>> LoadDirectoryAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<DirectoryRecord>>(_directory.ToArray());
        }
    }

    public Task ReplaceCoursesAsync(IReadOnlyList<Course> courses, CancellationToken cancellationToken = default)
    {
        _courses = [.. courses];
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Course>> LoadCoursesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<Course>>(_courses);

    public Task UpsertIdentitiesAsync(IReadOnlyList<IdentityLink> links, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            foreach (var link in links)
            {
                _identities[link.Identity] = link.Person;
            }

            return Task.CompletedTask;
        }
    }

    public Task<IReadOnlyList<IdentityLink>> LoadIdentitiesAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<IdentityLink>>(_identities.Select(p => new IdentityLink(p.Key, p.Value)).ToArray());
        }
    }

    public Task<DateTimeOffset?> EarliestEventTimeAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Events.Count == 0 ? (DateTimeOffset?)null : Events.Min(e => e.Time));

    public Task<long> CountEventsAsync(CancellationToken cancellationToken = default) => Task.FromResult((long)Events.Count);

    public Task MarkDirtyAsync(DateTimeOffset from, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<DirtyMark?> GetDirtyAsync(CancellationToken cancellationToken = default) => Task.FromResult<DirtyMark?>(null);

    public Task ClearDirtyAsync(long generation, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<string?> GetStateAsync(string key, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_state.TryGetValue(key, out var value) ? value : null);
        }
    }

    public Task SetStateAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _state[key] = value;
            StateWrites.Add(key + "=" + value);
            return Task.CompletedTask;
        }
    }
}
