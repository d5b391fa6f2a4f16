using Metrics.Core.Directory;

namespace Metrics.Core.Kpis;

/// <summary>Whether a KPI's value is a whole count (exported as an integer) or a ratio (exported as a double).</summary>
public enum KpiKind
{
    Count,
    Ratio,
}

/// <summary>
/// One KPI: everything the engine, the export, the boards and the docs need to know about it, and its computation.
/// Adding a KPI is one entry in <see cref="KpiCatalog.All"/> (plus, if it needs new state, that state in
/// <see cref="KpiInputs"/>).
/// </summary>
/// <param name="Name">The <c>kpi</c> tag, as in the spec.</param>
/// <param name="DisplayName">How a person reads it on a board or in a report.</param>
/// <param name="Kind">Count or ratio.</param>
/// <param name="Unit">The Grafana unit of a panel showing only this KPI (<c>percentunit</c>, <c>none</c>, or a suffix).</param>
/// <param name="Windows">The <c>window</c> tags it is written for, in the spec's order.</param>
/// <param name="Target">The reference line the boards draw (the spec's 40 % and 30 %), or null.</param>
/// <param name="Description">The definition in one sentence, in the words of docs/kpis.md.</param>
/// <param name="Compute">
/// Its value for one group on one day over a window of the given number of days (1 for <c>day</c>, 90 for
/// <c>90d</c>, 0 for <c>cohort</c>); null when it is not written (a ratio whose denominator is 0).
/// </param>
public sealed record KpiDefinition(
    string Name,
    string DisplayName,
    KpiKind Kind,
    string Unit,
    IReadOnlyList<string> Windows,
    double? Target,
    string Description,
    Func<KpiInputs, int, double?> Compute)
{
    /// <summary>
    /// The same KPI per level of the group (written to <c>kpi_by_level</c>), or null when it has no tiered view. Null
    /// for a level means not written; the engine writes nothing for a tier below the minimum group size whatever this says.
    /// </summary>
    public Func<KpiInputs, Level, (double Value, int Population)?>? ComputeByLevel { get; init; }

    /// <summary>
    /// For a per-tool KPI: its value for one group, one tool bucket (an index of <see cref="AiTools.Names"/>) and a
    /// window; null when not written. Such a KPI has no value across tools (one person uses several), so the engine
    /// writes only these, tagged with the tool, for the tools someone in the org used in the window.
    /// </summary>
    public Func<KpiInputs, int, int, double?>? ComputeByTool { get; init; }

    public bool IsCount => Kind == KpiKind.Count;

    /// <summary>The number of days a window tag spans for <see cref="Compute"/>: <c>day</c> is 1, <c>cohort</c> 0.</summary>
    public static int WindowDays(string window) => window switch
    {
        "1d" or "day" => 1,
        "7d" => 7,
        "28d" => 28,
        "90d" => 90,
        "cohort" => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(window), window, "not a window of the spec"),
    };

    public override string ToString() => Name;
}
