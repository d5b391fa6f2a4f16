using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Metrics.Worker.Health;

/// <summary>
/// Publishes the readiness checks as the gauge <c>metrics.health.status</c> (tag <c>check</c>; 0 unhealthy, 1 degraded,
/// 2 healthy), so Prometheus can alert on readiness without probing the endpoint itself.
/// </summary>
internal sealed class HealthStatusPublisher : IHealthCheckPublisher
{
    private readonly ConcurrentDictionary<string, HealthStatus> _last = new(StringComparer.Ordinal);

    public HealthStatusPublisher(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Telemetry.WorkerTelemetry.Name);
        meter.CreateObservableGauge("metrics.health.status", Observe, "{status}", "Readiness check result: 0 unhealthy, 1 degraded, 2 healthy.");
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var (name, entry) in report.Entries)
        {
            _last[name] = entry.Status;
        }

        return Task.CompletedTask;
    }

    private IEnumerable<Measurement<int>> Observe()
    {
        foreach (var (check, status) in _last)
        {
            yield return new Measurement<int>((int)status, new KeyValuePair<string, object?>("check", check));
        }
    }
}
