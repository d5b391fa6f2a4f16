namespace Metrics.Core.Kpis;

/// <summary>
/// One KPI value for a day and a group. <see cref="Department"/> is null for the org and
/// <see cref="KpiCatalog.SmallGroups"/> for the merged small departments. It never carries a person identifier.
/// </summary>
public sealed record KpiPoint(DateOnly Date, string? Department, string Kpi, string Window, double Value)
{
    public bool IsCount => KpiCatalog.IsCount(Kpi);
}
