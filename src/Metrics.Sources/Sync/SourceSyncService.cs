using System.Diagnostics;
using Metrics.Core.Directory;
using Metrics.Core.Events;
using Metrics.Core.Kpis;
using Metrics.Core.Ports;
using Metrics.Sources.Common;
using Metrics.Sources.Directory;
using Metrics.Sources.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Metrics.Sources.Sync;

/// <summary>
/// Pulls every enabled source (or one named source) into the journal. The directory goes first so identity links exist
/// before events are counted as unresolved. Each page is stored before its checkpoint is, so a crash re-reads at most
/// one page, and the upsert by (source, id) makes that harmless. A failing source is logged, reported and skipped.
/// </summary>
public sealed class SourceSyncService(
    IEnumerable<IEventSource> sources,
    IEnumerable<IDirectorySource> directories,
    IEventJournal journal,
    TimeProvider clock,
    IOptions<KpiOptions> kpiOptions,
    ILogger<SourceSyncService> logger,
    SourceTelemetry? telemetry = null,
    PersonPseudonyms? pseudonyms = null)
{
    private readonly PersonPseudonyms _pseudonyms = pseudonyms ?? PersonPseudonyms.None;

    private readonly IReadOnlyList<IEventSource> _sources = sources.ToArray();
    private readonly IReadOnlyList<IDirectorySource> _directories = directories.ToArray();

    private readonly JournalState _state = new(journal);

    private readonly PlausibleTimeRange _timeRange = kpiOptions.Value.TimeRange;

    /// <summary>Each source's name, whether it is enabled and how often it wants to be pulled, for a scheduler.</summary>
    public IReadOnlyList<SourceSchedule> Schedules =>
        [.. _directories.Select(d => new SourceSchedule(d.Name, d.Enabled, d.Interval)), .. _sources.Select(s => new SourceSchedule(s.Name, s.Enabled, s.Interval))];

    /// <summary>Every known source name, enabled or not.</summary>
    public IReadOnlyList<string> SourceNames => [.. _directories.Select(d => d.Name), .. _sources.Select(s => s.Name)];

    /// <summary>
    /// Syncs <paramref name="sourceName"/>, or every enabled source when null. With backfill bounds, event sources re-read
    /// that range by the server's stored/updated clock and leave their checkpoints alone.
    /// </summary>
    /// <exception cref="ArgumentException">No source has that name.</exception>
    public async Task<SyncReport> SyncAsync(
        string? sourceName,
        DateTimeOffset? backfillFrom,
        DateTimeOffset? backfillTo,
        IProgress<SyncProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (sourceName is not null && !SourceNames.Contains(sourceName, StringComparer.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Unknown source '{sourceName}'; known sources: {string.Join(", ", SourceNames)}.", nameof(sourceName));
        }

        if (backfillFrom is { } f && backfillTo is { } t && t <= f)
        {
            throw new ArgumentException("The backfill end must be after its start.", nameof(backfillTo));
        }

        bool Selected(string name, bool enabled) =>
            sourceName is null ? enabled : string.Equals(name, sourceName, StringComparison.OrdinalIgnoreCase);

        var results = new List<SourceSyncResult>();
        foreach (var directory in _directories)
        {
            if (Selected(directory.Name, directory.Enabled))
            {
                results.Add(await SyncDirectoryAsync(directory, cancellationToken));
            }
        }

        var selected = _sources.Where(s => Selected(s.Name, s.Enabled)).ToArray();
        if (selected.Length == 0)
        {
            return new SyncReport(results);
        }

        var known = await KnownIdentitiesAsync(cancellationToken);
        var window = new PullWindow(backfillFrom, backfillTo);
        foreach (var source in selected)
        {
            results.Add(await SyncSourceAsync(source, window, known, progress, cancellationToken));
        }

        return new SyncReport(results);
    }

    private async Task<SourceSyncResult> SyncSourceAsync(
        IEventSource source,
        PullWindow window,
        HashSet<string> known,
        IProgress<SyncProgress>? progress,
        CancellationToken cancellationToken)
    {
        var result = new SourceSyncResult(source.Name);
        var watch = Stopwatch.StartNew();
        using var activity = SourceTelemetry.ActivitySource.StartActivity("source.sync " + source.Name);
        activity?.SetTag("source", source.Name);
        try
        {
            var checkpoint = await _state.GetCheckpointAsync(source.Name, cancellationToken);
            result.Checkpoint = checkpoint;
            var newest = await LoadNewestAsync(source.Name, cancellationToken);
            Dictionary<string, string>? links = null;
            await foreach (var page in source.PullAsync(checkpoint, window, cancellationToken))
            {
                var now = clock.GetUtcNow();
                var accepted = new List<CanonicalEvent>(page.Events.Count);
                foreach (var e in page.Events)
                {
                    if (EventGuard.Check(e, now, _timeRange) is { } reason)
                    {
                        AddBad(result, new BadItem(source.Name, e.Id, reason));
                    }
                    else
                    {
                        accepted.Add(e);
                    }
                }

                foreach (var bad in page.BadItems)
                {
                    AddBad(result, bad);
                }

                if (page.Links.Count > 0)
                {
                    links ??= (await journal.LoadIdentitiesAsync(cancellationToken)).ToDictionary(l => l.Identity, l => l.Person, StringComparer.Ordinal);
                    await StoreLinksAsync(page.Links, links, known, cancellationToken);
                }

                var unresolved = 0;
                if (accepted.Count > 0)
                {
                    var stored = await journal.AppendAsync(accepted, cancellationToken);
                    result.Inserted += stored.Inserted;
                    result.Replaced += stored.Replaced;
                    result.Unchanged += stored.Unchanged;
                    unresolved = accepted.Count(e => !known.Contains(_pseudonyms.Protect(e.Person)));
                    result.Unresolved += unresolved;
                    newest = await StoreNewestAsync(source.Name, newest, accepted.Max(e => e.Time), cancellationToken);
                }

                telemetry?.PageStored(source.Name, accepted.Count, page.Events.Count - accepted.Count + page.BadItems.Count, unresolved);

                // Only after the page's events are durable: a crash before this line re-reads the page, never skips it.
                if (page.Checkpoint is not null && !window.IsBackfill && page.Checkpoint != result.Checkpoint)
                {
                    await _state.SetCheckpointAsync(source.Name, page.Checkpoint, cancellationToken);
                    result.Checkpoint = page.Checkpoint;
                }

                result.AddIgnored(page.Ignored);
                result.Pages++;
                result.Items += page.ItemCount;
                var seconds = Math.Max(watch.Elapsed.TotalSeconds, 1e-3);
                progress?.Report(new SyncProgress(source.Name, result.Pages, result.Items, result.EventsStored, result.EventsStored / seconds));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (SourcePageException ex)
        {
            // The page is reported like a bad item too, so a listing of what was not stored shows it.
            result.FailedPages++;
            result.Error = ex.Message;
            AddBad(result, new BadItem(source.Name, $"page {result.Pages + 1}", ex.Message));
            telemetry?.Rejected(source.Name, 1);
            Log.SourceFailed(logger, source.Name, result.Pages, ex.Message);
        }
        catch (Exception ex)
        {
            // Unexpected failures are reported by kind only: their messages may quote data.
            result.Error = "unexpected " + ex.GetType().Name + ": " + ApiCalls.Describe(ex);
            Log.SourceFailed(logger, source.Name, result.Pages, result.Error);
        }

        result.Duration = watch.Elapsed;
        Finish(activity, result);
        Log.SourceSynced(logger, source.Name, result.Pages, result.Items, result.Inserted, result.Replaced, result.BadItemCount, result.Unresolved, watch.Elapsed.TotalSeconds);
        return result;
    }

    private async Task<SourceSyncResult> SyncDirectoryAsync(IDirectorySource directory, CancellationToken cancellationToken)
    {
        var result = new SourceSyncResult(directory.Name);
        var watch = Stopwatch.StartNew();
        using var activity = SourceTelemetry.ActivitySource.StartActivity("source.sync " + directory.Name);
        activity?.SetTag("source", directory.Name);
        try
        {
            var outcome = await directory.SyncAsync(journal, cancellationToken);
            result.Pages = 1;
            result.Items = outcome.People;
            result.Replaced = outcome.Changed + outcome.Closed;
            foreach (var bad in outcome.BadItems)
            {
                AddBad(result, bad);
            }

            telemetry?.PageStored(directory.Name, 0, outcome.BadItems.Count, 0);

            Log.DirectorySynced(logger, directory.Name, outcome.People, outcome.Changed, outcome.Closed, outcome.Identities);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (SourcePageException ex)
        {
            result.FailedPages++;
            result.Error = ex.Message;
            Log.SourceFailed(logger, directory.Name, 0, ex.Message);
        }
        catch (Exception ex)
        {
            result.Error = "unexpected " + ex.GetType().Name + ": " + ApiCalls.Describe(ex);
            Log.SourceFailed(logger, directory.Name, 0, result.Error);
        }

        result.Duration = watch.Elapsed;
        Finish(activity, result);
        return result;
    }

    private void Finish(Activity? activity, SourceSyncResult result)
    {
        telemetry?.SyncFinished(result.Source, result.Succeeded, result.Duration);
        if (activity is not null)
        {
            activity.SetTag("pages", result.Pages);
            activity.SetTag("events", result.EventsStored);
            // The error text stays out of the trace: it may quote a server message; the logs carry it.
            activity.SetStatus(result.Succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
        }
    }

    /// <summary>The newest stored event time of a source as last persisted; it feeds the checkpoint-lag gauge after a restart.</summary>
    private async Task<DateTimeOffset?> LoadNewestAsync(string source, CancellationToken cancellationToken)
    {
        if (await _state.GetNewestEventAsync(source, cancellationToken) is not { } newest)
        {
            return null;
        }

        telemetry?.NewestEvent(source, newest);
        return newest;
    }

    private async Task<DateTimeOffset?> StoreNewestAsync(string source, DateTimeOffset? known, DateTimeOffset candidate, CancellationToken cancellationToken)
    {
        if (known is { } k && k >= candidate)
        {
            return known;
        }

        await _state.SetNewestEventAsync(source, candidate, cancellationToken);
        telemetry?.NewestEvent(source, candidate);
        return candidate;
    }

    /// <summary>Stores the identity links a page revealed for identities the journal links to nobody yet (a link from the
    /// directory or the mapping CSV wins); a link to a known person makes its identity known too.</summary>
    private async Task StoreLinksAsync(IReadOnlyList<IdentityLink> revealed, Dictionary<string, string> stored, HashSet<string> known, CancellationToken cancellationToken)
    {
        // The journal holds pseudonyms when Journal:PseudonymKey is set: compare in its terms.
        if (_pseudonyms.Enabled)
        {
            revealed = [.. revealed.Select(_pseudonyms.Protect)];
        }

        var fresh = revealed.Where(l => !stored.ContainsKey(l.Identity)).ToList();
        if (fresh.Count > 0)
        {
            await journal.UpsertIdentitiesAsync(fresh, cancellationToken);
            foreach (var link in fresh)
            {
                stored[link.Identity] = link.Person;
            }
        }

        foreach (var link in revealed)
        {
            if (known.Contains(stored[link.Identity]))
            {
                known.Add(link.Identity);
            }
        }
    }

    private void AddBad(SourceSyncResult result, BadItem bad)
    {
        result.AddBad(bad);
        Log.BadItem(logger, bad.Source, bad.ItemId, bad.Reason);
    }

    private async Task<HashSet<string>> KnownIdentitiesAsync(CancellationToken cancellationToken)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in await journal.LoadDirectoryAsync(cancellationToken))
        {
            known.Add(record.Person);
        }

        foreach (var link in await journal.LoadIdentitiesAsync(cancellationToken))
        {
            if (known.Contains(link.Person))
            {
                known.Add(link.Identity);
            }
        }

        return known;
    }
}
