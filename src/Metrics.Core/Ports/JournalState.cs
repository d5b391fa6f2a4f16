using System.Globalization;
using System.Text.Json;

namespace Metrics.Core.Ports;

/// <summary>
/// The journal's durable key/value state, typed. Every key the application keeps is named here and only here, so the
/// sources, the health reporter and the recomputer cannot drift apart on a key's spelling or its value's format. The
/// keys and formats are those journals already hold, so existing state keeps working.
/// </summary>
public sealed class JournalState(IEventJournal journal)
{
    private readonly IEventJournal _journal = journal ?? throw new ArgumentNullException(nameof(journal));

    /// <summary>The opaque checkpoint a source resumes from (a cursor, a timestamp, ...); null before its first page.</summary>
    public Task<string?> GetCheckpointAsync(string source, CancellationToken cancellationToken = default) =>
        _journal.GetStateAsync("checkpoint:" + source, cancellationToken);

    public Task SetCheckpointAsync(string source, string checkpoint, CancellationToken cancellationToken = default) =>
        _journal.SetStateAsync("checkpoint:" + source, checkpoint, cancellationToken);

    /// <summary>The newest event time stored from a source (for the checkpoint-lag metric); null when none or unreadable.</summary>
    public async Task<DateTimeOffset?> GetNewestEventAsync(string source, CancellationToken cancellationToken = default) =>
        await _journal.GetStateAsync(NewestEventKey(source), cancellationToken) is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time)
            ? time
            : null;

    public Task SetNewestEventAsync(string source, DateTimeOffset time, CancellationToken cancellationToken = default) =>
        _journal.SetStateAsync(NewestEventKey(source), time.ToString("O", CultureInfo.InvariantCulture), cancellationToken);

    /// <summary>A source's sync record for the data-health board; a fresh record when none was kept.</summary>
    public async Task<SourceSyncRecord> GetSyncRecordAsync(string source, CancellationToken cancellationToken = default) =>
        await _journal.GetStateAsync("health:" + source, cancellationToken) is { } json
            ? JsonSerializer.Deserialize<SourceSyncRecord>(json) ?? new SourceSyncRecord()
            : new SourceSyncRecord();

    public Task SetSyncRecordAsync(string source, SourceSyncRecord record, CancellationToken cancellationToken = default) =>
        _journal.SetStateAsync("health:" + source, JsonSerializer.Serialize(record), cancellationToken);

    /// <summary>Resolved and unresolved events per source counted on one day by the last recompute of it; null when never recorded.</summary>
    public async Task<IReadOnlyDictionary<string, DayCoverage>?> GetCoverageAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        if (await _journal.GetStateAsync(CoverageKey(day), cancellationToken) is not { } json)
        {
            return null;
        }

        // Stored as [resolved, unresolved] per source: compact, and the format journals already hold.
        return (JsonSerializer.Deserialize<Dictionary<string, long[]>>(json) ?? [])
            .ToDictionary(kv => kv.Key, kv => new DayCoverage(kv.Value[0], kv.Value[1]), StringComparer.Ordinal);
    }

    public Task SetCoverageAsync(DateOnly day, IReadOnlyDictionary<string, DayCoverage> bySource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bySource);
        var counts = bySource.ToDictionary(kv => kv.Key, kv => new[] { kv.Value.Resolved, kv.Value.Unresolved }, StringComparer.Ordinal);
        return _journal.SetStateAsync(CoverageKey(day), JsonSerializer.Serialize(counts), cancellationToken);
    }

    /// <summary>People of the directory each source covered, as the last recompute through its today counted them; null before.</summary>
    public async Task<Kpis.PeopleCoverage?> GetPeopleCoverageAsync(CancellationToken cancellationToken = default) =>
        await _journal.GetStateAsync(PeopleCoverageKey, cancellationToken) is { } json
            ? JsonSerializer.Deserialize<Kpis.PeopleCoverage>(json)
            : null;

    public Task SetPeopleCoverageAsync(Kpis.PeopleCoverage coverage, CancellationToken cancellationToken = default) =>
        _journal.SetStateAsync(PeopleCoverageKey, JsonSerializer.Serialize(coverage), cancellationToken);

    /// <summary>A directory connector's own round state (delta link, merged users), in the connector's JSON shape.</summary>
    public async Task<T?> GetDirectoryStateAsync<T>(string directory, JsonSerializerOptions options, CancellationToken cancellationToken = default)
        where T : class =>
        await _journal.GetStateAsync("directory:" + directory, cancellationToken) is { } json
            ? JsonSerializer.Deserialize<T>(json, options)
            : null;

    public Task SetDirectoryStateAsync<T>(string directory, T state, JsonSerializerOptions options, CancellationToken cancellationToken = default) =>
        _journal.SetStateAsync("directory:" + directory, JsonSerializer.Serialize(state, options), cancellationToken);

    private const string PeopleCoverageKey = "coverage-people";

    private static string NewestEventKey(string source) => "newest-event:" + source;

    private static string CoverageKey(DateOnly day) => "coverage:" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>When a source last synced without error and how many attempts failed since.</summary>
public sealed record SourceSyncRecord
{
    public long? LastSuccessUnix { get; init; }

    public int Failures { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset? LastSuccess => LastSuccessUnix is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null;
}

/// <summary>Events of one source on one day whose person was resolved, and those that were not.</summary>
public readonly record struct DayCoverage(long Resolved, long Unresolved);
