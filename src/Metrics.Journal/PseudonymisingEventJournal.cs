using Metrics.Core.Directory;
using Metrics.Core.Events;
using Metrics.Core.Ports;

namespace Metrics.Journal;

/// <summary>
/// The journal's door for person keys: every event's person, every directory record's person and both sides of every
/// identity link pass <see cref="PersonPseudonyms.Protect(string)"/> before the inner journal stores them, so the file holds only
/// pseudonyms when <c>Journal:PseudonymKey</c> is set. Kept outside the SQLite journal, whose append path is tuned
/// on its own. The first use checks the key against the journal's record of it: a journal started with clear keys,
/// pseudonymised with another key, or pseudonymised and opened without the key is refused, since its joins would
/// silently break. Every member is forwarded explicitly: the interface's default bodies would skip the inner journal.
/// </summary>
public sealed class PseudonymisingEventJournal(IEventJournal inner, PersonPseudonyms pseudonyms) : IEventJournal, IDisposable
{
    /// <summary>The state key holding the key's fingerprint.</summary>
    public const string StateKey = "journal.pseudonym_key";

    private readonly SemaphoreSlim _checkLock = new(1, 1);
    private volatile bool _checked;

    public async Task<AppendResult> AppendAsync(IReadOnlyList<CanonicalEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        await CheckKeyAsync(cancellationToken);
        return await inner.AppendAsync(pseudonyms.Enabled ? Protect(events) : events, cancellationToken);
    }

    public async Task<AppendResult> AppendManyAsync(IAsyncEnumerable<IReadOnlyList<CanonicalEvent>> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        await CheckKeyAsync(cancellationToken);
        return await inner.AppendManyAsync(pseudonyms.Enabled ? Protect(batches, cancellationToken) : batches, cancellationToken);
    }

    public async Task ReplaceDirectoryAsync(IReadOnlyList<DirectoryRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        await CheckKeyAsync(cancellationToken);
        await inner.ReplaceDirectoryAsync(pseudonyms.Enabled ? [.. records.Select(r => r with { Person = pseudonyms.Protect(r.Person) })] : records, cancellationToken);
    }

    public async Task UpsertIdentitiesAsync(IReadOnlyList<IdentityLink> links, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        await CheckKeyAsync(cancellationToken);
        await inner.UpsertIdentitiesAsync(pseudonyms.Enabled ? [.. links.Select(pseudonyms.Protect)] : links, cancellationToken);
    }

    public async IAsyncEnumerable<CanonicalEvent> StreamAsync(DateTimeOffset fullHistoryBefore, DateTimeOffset end, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await CheckKeyAsync(cancellationToken);
        await foreach (var e in inner.StreamAsync(fullHistoryBefore, end, cancellationToken))
        {
            yield return e;
        }
    }

    public async Task<IReadOnlyList<DirectoryRecord>> LoadDirectoryAsync(CancellationToken cancellationToken = default)
    {
        await CheckKeyAsync(cancellationToken);
        return await inner.LoadDirectoryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<IdentityLink>> LoadIdentitiesAsync(CancellationToken cancellationToken = default)
    {
        await CheckKeyAsync(cancellationToken);
        return await inner.LoadIdentitiesAsync(cancellationToken);
    }

    public Task ReplaceCoursesAsync(IReadOnlyList<Course> courses, CancellationToken cancellationToken = default) => inner.ReplaceCoursesAsync(courses, cancellationToken);

    public Task<IReadOnlyList<Course>> LoadCoursesAsync(CancellationToken cancellationToken = default) => inner.LoadCoursesAsync(cancellationToken);

    public Task<DateTimeOffset?> EarliestEventTimeAsync(CancellationToken cancellationToken = default) => inner.EarliestEventTimeAsync(cancellationToken);

    public Task<long> CountEventsAsync(CancellationToken cancellationToken = default) => inner.CountEventsAsync(cancellationToken);

    public Task<DateTimeOffset?> NewestEventTimeAsync(string source, CancellationToken cancellationToken = default) => inner.NewestEventTimeAsync(source, cancellationToken);

    public Task MarkDirtyAsync(DateTimeOffset from, CancellationToken cancellationToken = default) => inner.MarkDirtyAsync(from, cancellationToken);

    public Task<DirtyMark?> GetDirtyAsync(CancellationToken cancellationToken = default) => inner.GetDirtyAsync(cancellationToken);

    public Task ClearDirtyAsync(long generation, CancellationToken cancellationToken = default) => inner.ClearDirtyAsync(generation, cancellationToken);

    public Task<RecomputeClaim> BeginRecomputeAsync(DateTimeOffset from, CancellationToken cancellationToken = default) => inner.BeginRecomputeAsync(from, cancellationToken);

    public Task<long> GetGenerationAsync(CancellationToken cancellationToken = default) => inner.GetGenerationAsync(cancellationToken);

    public Task<bool> FinishRecomputeAsync(RecomputeClaim claim, DateTimeOffset? restoreTo, CancellationToken cancellationToken = default) => inner.FinishRecomputeAsync(claim, restoreTo, cancellationToken);

    public Task CheckWritableAsync(CancellationToken cancellationToken = default) => inner.CheckWritableAsync(cancellationToken);

    public Task<string?> GetStateAsync(string key, CancellationToken cancellationToken = default) => inner.GetStateAsync(key, cancellationToken);

    public Task SetStateAsync(string key, string value, CancellationToken cancellationToken = default) => inner.SetStateAsync(key, value, cancellationToken);

    private async IAsyncEnumerable<IReadOnlyList<CanonicalEvent>> Protect(
        IAsyncEnumerable<IReadOnlyList<CanonicalEvent>> batches, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var batch in batches.WithCancellation(cancellationToken))
        {
            yield return Protect(batch);
        }
    }

    private CanonicalEvent[] Protect(IReadOnlyList<CanonicalEvent> events) => [.. events.Select(e => e with { Person = pseudonyms.Protect(e.Person) })];

    /// <summary>Disposes only its own lock: the inner journal belongs to whoever created it.</summary>
    public void Dispose() => _checkLock.Dispose();

    /// <summary>Compares the configured key with the one the journal was started with; records it on a fresh journal.</summary>
    private async Task CheckKeyAsync(CancellationToken cancellationToken)
    {
        if (_checked)
        {
            return;
        }

        await _checkLock.WaitAsync(cancellationToken);
        try
        {
            if (_checked)
            {
                return;
            }

            var stored = await inner.GetStateAsync(StateKey, cancellationToken);
            var wanted = pseudonyms.Fingerprint;
            if (stored is null && wanted is not null)
            {
                if (await inner.CountEventsAsync(cancellationToken) > 0 || (await inner.LoadDirectoryAsync(cancellationToken)).Count > 0
                    || (await inner.LoadIdentitiesAsync(cancellationToken)).Count > 0)
                {
                    throw new InvalidOperationException("Journal:PseudonymKey is set, but the journal already holds clear person keys; start a new journal (Journal:Path) and re-import or resync, or remove the key.");
                }

                await inner.SetStateAsync(StateKey, wanted, cancellationToken);
            }
            else if (stored is not null && wanted is null)
            {
                throw new InvalidOperationException("The journal holds pseudonymised person keys; set the Journal:PseudonymKey (or Journal:PseudonymKey_FILE) it was started with.");
            }
            else if (stored is not null && !string.Equals(stored, wanted, StringComparison.Ordinal))
            {
                throw new InvalidOperationException("Journal:PseudonymKey is not the key this journal was started with; its pseudonyms would not match.");
            }

            _checked = true;
        }
        finally
        {
            _checkLock.Release();
        }
    }
}
