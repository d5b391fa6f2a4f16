using Metrics.Core.Directory;
using Metrics.Core.Events;

namespace Metrics.Core.Ports;

/// <summary>What one append did: new keys, replaced keys (same source and id) and identical re-deliveries.</summary>
public readonly record struct AppendResult(int Inserted, int Replaced, int Unchanged);

/// <summary>The earliest instant whose days need recomputing, and a generation to clear exactly what was computed.</summary>
public readonly record struct DirtyMark(DateTimeOffset From, long Generation);

/// <summary>
/// A recompute's claim on the dirty mark, taken before it deletes anything. <see cref="PreviousFrom"/> is the mark as it
/// was before the claim, <see cref="Generation"/> the knowledge the recompute starts from, <see cref="Epoch"/> what a
/// finish compares to know nobody touched the mark since.
/// </summary>
public readonly record struct RecomputeClaim(DateTimeOffset? PreviousFrom, long Generation, long Epoch);

/// <summary>The journal cannot take writes: the disk (or its size cap) is full, or the file or its mount is read-only.</summary>
public sealed class JournalUnwritableException(string reason, Exception? innerException)
    : IOException($"the journal cannot be written: {reason}", innerException)
{
    /// <summary>"disk full" or "read-only": no path, no statement, fit for a public health endpoint.</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// The durable store of accepted canonical events, the directory and the course catalog. Events are deduplicated on
/// (source, id): a later append with the same key replaces the earlier one. Every change marks the earliest instant it
/// affects as dirty, in the same transaction, so a crash between storing and writing KPIs loses nothing.
/// </summary>
public interface IEventJournal
{
    /// <summary>Upserts events by (source, id) and marks the earliest of their old and new times dirty.</summary>
    Task<AppendResult> AppendAsync(IReadOnlyList<CanonicalEvent> events, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends a large import given as a sequence of batches, with the outcome and the dirty mark of appending each batch
    /// in turn (the later line of a repeated key wins). A journal may store the whole sequence in one transaction at the
    /// end, so nothing of it is durable before this returns; the default appends batch after batch.
    /// </summary>
    async Task<AppendResult> AppendManyAsync(IAsyncEnumerable<IReadOnlyList<CanonicalEvent>> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var total = default(AppendResult);
        await foreach (var batch in batches.WithCancellation(cancellationToken))
        {
            var result = await AppendAsync(batch, cancellationToken);
            total = new AppendResult(total.Inserted + result.Inserted, total.Replaced + result.Replaced, total.Unchanged + result.Unchanged);
        }

        return total;
    }

    /// <summary>
    /// Streams the effective events (deduplicated, retracted targets and retractions themselves left out), ordered by
    /// time, with <c>time &lt; end</c>; events before <paramref name="fullHistoryBefore"/> are streamed only when their
    /// type <see cref="EventTypes.NeedsFullHistory"/>. Memory does not grow with history.
    /// </summary>
    IAsyncEnumerable<CanonicalEvent> StreamAsync(DateTimeOffset fullHistoryBefore, DateTimeOffset end, CancellationToken cancellationToken = default);

    /// <summary>Replaces the whole record history of every person present in <paramref name="records"/>; marks the earliest affected day dirty.</summary>
    Task ReplaceDirectoryAsync(IReadOnlyList<DirectoryRecord> records, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DirectoryRecord>> LoadDirectoryAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the course catalog; marks all history dirty, since completion rates depend on it everywhere.</summary>
    Task ReplaceCoursesAsync(IReadOnlyList<Course> courses, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Course>> LoadCoursesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds or changes links from source identities (an e-mail, <c>jira:accountId</c>, ...) to directory person keys.
    /// Marks dirty from the earliest event whose person is one of the changed identities, so late resolution
    /// recomputes exactly the days those events touch.
    /// </summary>
    Task UpsertIdentitiesAsync(IReadOnlyList<IdentityLink> links, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<IdentityLink>> LoadIdentitiesAsync(CancellationToken cancellationToken = default);

    /// <summary>The earliest event time in the journal, or null when it holds none.</summary>
    Task<DateTimeOffset?> EarliestEventTimeAsync(CancellationToken cancellationToken = default);

    Task<long> CountEventsAsync(CancellationToken cancellationToken = default);

    /// <summary>The time of the newest stored event of <paramref name="source"/>, or null when it has none (for lag reporting).</summary>
    Task<DateTimeOffset?> NewestEventTimeAsync(string source, CancellationToken cancellationToken = default) =>
        Task.FromResult<DateTimeOffset?>(null);

    /// <summary>Marks everything from <paramref name="from"/> on as needing a recompute.</summary>
    Task MarkDirtyAsync(DateTimeOffset from, CancellationToken cancellationToken = default);

    Task<DirtyMark?> GetDirtyAsync(CancellationToken cancellationToken = default);

    /// <summary>Clears the dirty mark if nothing marked it again since <paramref name="generation"/> was read.</summary>
    Task ClearDirtyAsync(long generation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims a recompute from <paramref name="from"/>: in one transaction the mark moves back to <paramref name="from"/>
    /// if it is later (so a recompute killed after deleting its range leaves that range dirty) and the epoch advances.
    /// </summary>
    Task<RecomputeClaim> BeginRecomputeAsync(DateTimeOffset from, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not support recompute claims");

    /// <summary>The current generation of knowledge: it grows with every change that marks days dirty.</summary>
    Task<long> GetGenerationAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not support recompute claims");

    /// <summary>
    /// Ends a successful recompute: when nothing touched the mark since <paramref name="claim"/> (same epoch), the mark
    /// becomes <paramref name="restoreTo"/> (null: clean) and true is returned; otherwise the mark stays as it is, so the
    /// next cycle recomputes with the newer knowledge.
    /// </summary>
    Task<bool> FinishRecomputeAsync(RecomputeClaim claim, DateTimeOffset? restoreTo, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not support recompute claims");

    /// <summary>
    /// Commits a tiny write, so a full disk or a read-only file shows before anything is pulled that could not be
    /// stored; throws <see cref="JournalUnwritableException"/> then. Journals that cannot run out of room need not override it.
    /// </summary>
    Task CheckWritableAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Reads a durable key/value (source checkpoints and similar); null when unset.</summary>
    Task<string?> GetStateAsync(string key, CancellationToken cancellationToken = default);

    Task SetStateAsync(string key, string value, CancellationToken cancellationToken = default);
}
