using Metrics.Core.Ports;
using Metrics.Sources.Sync;
using Metrics.Worker.Application;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Hosting;

/// <summary>
/// The service loop: every interval, pull each source whose own interval has passed, then recompute the dirty days
/// and write them. A failing source or cycle is logged and retried later; it never stops the host or the other
/// sources, and the journal's dirty mark keeps what still needs writing.
/// </summary>
public sealed class KpiWorker(
    KpiRecomputer recomputer,
    IKpiStore store,
    IServiceScopeFactory scopes,
    IOptions<WorkerOptions> options,
    TimeProvider timeProvider,
    ILogger<KpiWorker> logger) : BackgroundService
{
    private readonly Dictionary<string, DateTimeOffset> _nextSync = new(StringComparer.Ordinal);

    /// <summary>When the last cycle finished without error; null before the first.</summary>
    public DateTimeOffset? LastSuccessfulCycle { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Interval;
        Log.WorkerStarted(logger, interval);
        var storeReady = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SyncDueSourcesAsync(stoppingToken);
                if (!storeReady)
                {
                    await store.EnsureReadyAsync(stoppingToken);
                    storeReady = true;
                }

                await recomputer.RecomputeDirtyAsync(cancellationToken: stoppingToken);
                LastSuccessfulCycle = timeProvider.GetUtcNow();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                if (!storeReady)
                {
                    Log.StoreNotReady(logger, ex);
                }
                else
                {
                    Log.CycleFailed(logger, ex);
                }
            }

            try
            {
                await Task.Delay(interval, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task SyncDueSourcesAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var sync = scope.ServiceProvider.GetRequiredService<SourceSyncService>();
        var now = timeProvider.GetUtcNow();
        foreach (var schedule in sync.Schedules.Where(s => s.Enabled))
        {
            if (_nextSync.TryGetValue(schedule.Name, out var due) && due > now)
            {
                continue;
            }

            _nextSync[schedule.Name] = now + schedule.Interval;
            try
            {
                var report = await sync.SyncAsync(schedule.Name, null, null, null, cancellationToken);
                foreach (var source in report.Sources.Where(s => !s.Succeeded))
                {
                    Log.SourceFailed(logger, source.Source, source.Error ?? "unknown error");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.SourceCrashed(logger, schedule.Name, ex);
            }
        }
    }
}
