using Metrics.Core.Ports;
using Metrics.Worker.Application;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Hosting;

/// <summary>
/// The service loop: every interval, recompute the dirty days and write them. A failing cycle is logged and the
/// next one retries; it never stops the host, and the dirty mark keeps what still needs writing.
/// </summary>
public sealed class KpiWorker(
    KpiRecomputer recomputer,
    IKpiStore store,
    IOptions<WorkerOptions> options,
    TimeProvider timeProvider,
    ILogger<KpiWorker> logger) : BackgroundService
{
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
}
