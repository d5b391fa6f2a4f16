using Metrics.Core.Ports;
using Metrics.Influx;
using Metrics.Worker.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Health;

/// <summary>InfluxDB answers <c>/ping</c> now (not cached, so an outage and the recovery show at once).</summary>
internal sealed class InfluxHealthCheck(InfluxKpiStore store, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            await store.PingAsync(timeout.Token);
            return HealthCheckResult.Healthy("InfluxDB answers /ping");
        }
        catch (KpiStoreException ex)
        {
            // The store's messages name the URL and the status, never a credential.
            return HealthCheckResult.Unhealthy(ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"InfluxDB did not answer /ping within Health:Timeout ({options.Value.Timeout})");
        }
    }
}

/// <summary>The journal opens, answers a read (its dirty mark) and commits a tiny write (a full disk or read-only file shows here).</summary>
internal sealed class JournalHealthCheck(IEventJournal journal, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.Timeout);
        try
        {
            await journal.GetDirtyAsync(timeout.Token);
            await journal.CheckWritableAsync(timeout.Token);
            return HealthCheckResult.Healthy("journal readable and writable");
        }
        catch (JournalUnwritableException ex)
        {
            return HealthCheckResult.Unhealthy($"journal not writable ({ex.Reason}); pulling is stopped until it is");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"journal did not answer within Health:Timeout ({options.Value.Timeout})");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The kind only: SQLite messages can quote paths and statements, which are not for a public endpoint.
            return HealthCheckResult.Unhealthy($"journal not readable ({ex.GetType().Name})");
        }
    }
}

/// <summary>The last successful cycle is recent enough (<c>Health:MaxCycleAge</c>).</summary>
internal sealed class CycleHealthCheck(WorkerTelemetry telemetry, IOptions<HealthOptions> options, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var max = options.Value.MaxCycleAge;
        if (telemetry.LastSuccessfulCycle is { } last)
        {
            var age = now - last;
            return Task.FromResult(age <= max
                ? HealthCheckResult.Healthy($"last successful cycle {age.TotalSeconds:F0} s ago")
                : HealthCheckResult.Unhealthy($"last successful cycle {age.TotalSeconds:F0} s ago, more than Health:MaxCycleAge ({max})"));
        }

        // Before the first success: a grace period as long as the threshold, since the first recompute may be long.
        var running = now - telemetry.StartedAt;
        return Task.FromResult(running <= max
            ? HealthCheckResult.Degraded($"no cycle finished yet ({running.TotalSeconds:F0} s since start)")
            : HealthCheckResult.Unhealthy($"no successful cycle in {running.TotalSeconds:F0} s since start, more than Health:MaxCycleAge ({max})"));
    }
}
