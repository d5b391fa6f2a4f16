using Metrics.Core.Ports;
using Metrics.Sources.Sync;

namespace Metrics.Worker.Application;

/// <summary>What one ingestion cycle should pull, and where its progress goes.</summary>
public sealed record IngestionRequest
{
    /// <summary>The sources to pull; null pulls every enabled source.</summary>
    public IReadOnlyList<string>? Sources { get; init; }

    /// <summary>Backfill bounds (the server's stored/updated clock); both null for an incremental pull from the checkpoints.</summary>
    public DateTimeOffset? BackfillFrom { get; init; }

    public DateTimeOffset? BackfillTo { get; init; }

    public IProgress<SyncProgress>? SyncProgress { get; init; }

    public IProgress<RecomputeProgress>? RecomputeProgress { get; init; }
}

/// <summary>What a cycle did: each source's pull, and the recompute (null when nothing was dirty).</summary>
public sealed record IngestionResult(SyncReport Sync, RecomputeResult? Recompute);

/// <summary>
/// One ingestion cycle: pull the sources into the journal, recompute the days that changed, record source health.
/// <c>run</c>, <c>sync</c>, <c>backfill</c> and the demo all go through it, so they cannot drift apart. A source that
/// fails or crashes is reported and the cycle goes on: the KPIs of the others are still recomputed from whatever was
/// stored, and the journal's dirty mark keeps whatever a failed recompute leaves behind.
/// </summary>
public sealed class IngestionCycle(
    IServiceScopeFactory scopes,
    IKpiStore store,
    KpiRecomputer recomputer,
    SourceHealthReporter sourceHealth,
    IEventJournal journal,
    ILogger<IngestionCycle> logger)
{
    private volatile bool _storeReady;

    /// <summary>Whether the KPI store has been made ready (database or bucket created) by a cycle.</summary>
    public bool StoreReady => _storeReady;

    /// <summary>Every known source name, enabled or not.</summary>
    public IReadOnlyList<SourceSchedule> Schedules
    {
        get
        {
            using var scope = scopes.CreateScope();
            return scope.ServiceProvider.GetRequiredService<SourceSyncService>().Schedules;
        }
    }

    /// <exception cref="ArgumentException">A requested source is unknown, or the backfill bounds are reversed.</exception>
    public async Task<IngestionResult> RunAsync(IngestionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A full disk or read-only journal stops the cycle before any pull: what a source sent could not be stored, and
        // its checkpoint would not move either, so the next cycle after the room is back pulls the same pages again.
        await journal.CheckWritableAsync(cancellationToken);
        var report = await PullAsync(request, cancellationToken);
        if (!_storeReady)
        {
            await store.EnsureReadyAsync(cancellationToken);
            _storeReady = true;
        }

        var recompute = await recomputer.RecomputeDirtyAsync(cancellationToken: cancellationToken, progress: request.RecomputeProgress);
        await sourceHealth.ReportAsync(report.Sources, cancellationToken);
        return new IngestionResult(report, recompute);
    }

    private async Task<SyncReport> PullAsync(IngestionRequest request, CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var sync = scope.ServiceProvider.GetRequiredService<SourceSyncService>();
        var results = new List<SourceSyncResult>();
        if (request.Sources is null)
        {
            results.AddRange((await sync.SyncAsync(null, request.BackfillFrom, request.BackfillTo, request.SyncProgress, cancellationToken)).Sources);
        }
        else
        {
            var unknown = request.Sources.Where(s => !sync.SourceNames.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();
            if (unknown.Count > 0)
            {
                throw new ArgumentException($"Unknown source '{unknown[0]}'; known sources: {string.Join(", ", sync.SourceNames)}.", nameof(request));
            }

            foreach (var name in request.Sources)
            {
                try
                {
                    results.AddRange((await sync.SyncAsync(name, request.BackfillFrom, request.BackfillTo, request.SyncProgress, cancellationToken)).Sources);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not ArgumentException)
                {
                    Log.SourceCrashed(logger, name, ex);
                    results.Add(new SourceSyncResult(name) { Error = ex.GetType().Name });
                }
            }
        }

        // The sync service logs each source's outcome; this says that the cycle carries on past a failed one.
        foreach (var source in results.Where(s => !s.Skipped && !s.Succeeded))
        {
            Log.SourceFailed(logger, source.Source, source.Error ?? "unknown error");
        }

        return new SyncReport(results);
    }
}
