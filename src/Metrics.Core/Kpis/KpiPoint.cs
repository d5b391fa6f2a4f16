using Metrics.Core.Directory;

namespace Metrics.Core.Kpis;

/// <summary>
/// One KPI value for a day and a group. <see cref="Department"/> is null for the org and
/// <see cref="KpiCatalog.SmallGroups"/> for the merged small departments. <see cref="Level"/> is set only on the
/// tiered breakdown of <c>training_completion_rate</c> (one value per level of the group). <see cref="Tool"/> is set only
/// on the per-tool KPIs (one of <see cref="AiTools.Names"/>). It never carries a person identifier.
/// </summary>
public sealed record KpiPoint(DateOnly Date, string? Department, string Kpi, string Window, double Value, Level? Level = null, string? Tool = null)
{
    public bool IsCount => KpiCatalog.IsCount(Kpi);
}
