using Metrics.Core.Directory;
using Metrics.Core.Events;
using Metrics.Core.Ports;

namespace Metrics.Simulator.Tests;

/// <summary>Just enough journal for the Graph connector's delta state; the event tests pull sources directly.</summary>
public sealed class StateJournal : IEventJournal
{
    private readonly Dictionary<string, string> _state = new(StringComparer.Ordinal);

    public Task<string?> GetStateAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(_state.GetValueOrDefault(key));

    public Task SetStateAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        _state[key] = value;
        return Task.CompletedTask;
    }

    public Task<AppendResult> AppendAsync(IReadOnlyList<CanonicalEvent> events, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<CanonicalEvent> StreamAsync(DateTimeOffset fullHistoryBefore, DateTimeOffset end, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task ReplaceDirectoryAsync(IReadOnlyList<DirectoryRecord> records, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<DirectoryRecord>> LoadDirectoryAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<DirectoryRecord>>([]);

    public Task ReplaceCoursesAsync(IReadOnlyList<Course> courses, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<Course>> LoadCoursesAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<Course>>([]);

    public Task UpsertIdentitiesAsync(IReadOnlyList<IdentityLink> links, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<IdentityLink>> LoadIdentitiesAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<IdentityLink>>([]);

    public Task<DateTimeOffset?> EarliestEventTimeAsync(CancellationToken cancellationToken = default) => Task.FromResult<DateTimeOffset?>(null);

    public Task<long> CountEventsAsync(CancellationToken cancellationToken = default) => Task.FromResult(0L);

    public Task MarkDirtyAsync(DateTimeOffset from, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<DirtyMark?> GetDirtyAsync(CancellationToken cancellationToken = default) => Task.FromResult<DirtyMark?>(null);

    public Task ClearDirtyAsync(long generation, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
