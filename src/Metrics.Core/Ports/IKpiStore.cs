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

    /// <summary>Writes one <c>source_health</c> point per source (the data-health board and the source-failing alert read them).</summary>
    Task WriteSourceHealthAsync(IReadOnlyList<SourceHealth> health, CancellationToken cancellationToken = default);

    /// <summary>Reads stored KPIs back, ordered by date, department (org first), kpi and window.</summary>
    IAsyncEnumerable<KpiPoint> ReadAsync(DateOnly from, DateOnly to, string? department, CancellationToken cancellationToken = default);
}

/// <summary>
/// The health of one source after a sync attempt. <see cref="Events"/> and <see cref="Unresolved"/> are states over the
/// last 28 days of the journal; <see cref="Rejected"/> counts this attempt; <see cref="Failures"/> is the number of
/// consecutive failed attempts (0 after a success). <see cref="People"/> is how many of the <see cref="DirectoryPeople"/>
/// people in scope today had a resolved event of the source in the last 28 days (null for a source that never sent
/// one, like the directory). No person identifier.
/// </summary>
public sealed record SourceHealth(
    string Source,
    DateTimeOffset At,
    long Events,
    long Unresolved,
    long Rejected,
    double? LagSeconds,
    DateTimeOffset? LastSuccess,
    int Failures,
    int? People = null,
    int? DirectoryPeople = null);
