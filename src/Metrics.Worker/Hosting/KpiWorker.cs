using Metrics.Core.Ports;
using System.Diagnostics;
using Metrics.Worker.Application;
using Metrics.Worker.Telemetry;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Hosting;

/// <summary>
/// The service loop: every interval, pull each source whose own interval has passed, then recompute the dirty days
/// and write them. A failing source or cycle is logged and retried later; it never stops the host or the other
/// sources, and the journal's dirty mark keeps what still needs writing.
/// </summary>
public sealed class KpiWorker(
    IngestionCycle cycle,
    KpiRecomputer recomputer,
    IOptions<WorkerOptions> options,
    TimeProvider timeProvider,
    ILogger<KpiWorker> logger,
    WorkerTelemetry telemetry,
    IEventJournal journal) : BackgroundService
{
    private readonly Dictionary<string, DateTimeOffset> _nextSync = new(StringComparer.Ordinal);

    /// <summary>When the last cycle finished without error; null before the first.</summary>
    public DateTimeOffset? LastSuccessfulCycle { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.Interval;
        Log.WorkerStarted(logger, interval);
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = timeProvider.GetTimestamp();
            var activity = WorkerTelemetry.ActivitySource.StartActivity("kpi.cycle");
            var succeeded = false;
            try
            {
                await cycle.RunAsync(new IngestionRequest { Sources = DueSources() }, stoppingToken);
                LastSuccessfulCycle = timeProvider.GetUtcNow();
                succeeded = true;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                activity?.Dispose();
                break;
            }
            catch (Exception ex)
            {
                if (!cycle.StoreReady)
                {
                    Log.StoreNotReady(logger, ex);
                }
                else
                {
                    Log.CycleFailed(logger, ex);
                }
            }

            telemetry.CycleFinished(succeeded, timeProvider.GetElapsedTime(started));
            activity?.SetStatus(succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
            activity?.Dispose();
            await RefreshGaugesAsync(stoppingToken);

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

    /// <summary>The journal gauges follow each cycle; a journal that cannot be read only leaves them stale (readiness reports it).</summary>
    private async Task RefreshGaugesAsync(CancellationToken cancellationToken)
    {
        try
        {
            await telemetry.RefreshJournalAsync(journal, recomputer, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.GaugesNotRefreshed(logger, ex.GetType().Name);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop ends right after.
        }
    }

    /// <summary>The enabled sources whose own interval has passed; each is then due again one interval later.</summary>
    private List<string> DueSources()
    {
        var now = timeProvider.GetUtcNow();
        var due = new List<string>();
        foreach (var schedule in cycle.Schedules.Where(s => s.Enabled))
        {
            if (_nextSync.TryGetValue(schedule.Name, out var next) && next > now)
            {
                continue;
            }

            _nextSync[schedule.Name] = now + schedule.Interval;
            due.Add(schedule.Name);
        }

        return due;
    }
}
