using Metrics.Core.Kpis;

namespace Metrics.Core.Ports;

/// <summary>Where KPI points are written and read back (InfluxDB in production).</summary>
public interface IKpiStore
{
    /// <summary>Creates the database or bucket when configured to, and checks the store answers.</summary>
    Task EnsureReadyAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the stored KPIs of the days <paramref name="from"/>..<paramref name="to"/> with <paramref name="points"/>,
    /// written in batches as they stream in. Throws when a batch fails, so the caller keeps those days dirty.
    /// </summary>
    Task<long> ReplaceRangeAsync(DateOnly from, DateOnly to, IEnumerable<KpiPoint> points, CancellationToken cancellationToken = default);

    /// <summary>Reads stored KPIs back, ordered by date, department (org first), kpi and window.</summary>
    IAsyncEnumerable<KpiPoint> ReadAsync(DateOnly from, DateOnly to, string? department, CancellationToken cancellationToken = default);
}
