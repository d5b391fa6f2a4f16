namespace Metrics.Core.Kpis;

/// <summary>Every KPI of the contract with its windows and whether it is a count or a ratio.</summary>
public static class KpiCatalog
{
    /// <summary>The department name under which departments below the minimum group size are merged.</summary>
    public const string SmallGroups = "(small groups)";

    public static IReadOnlyList<string> Windows { get; } = ["1d", "7d", "28d", "90d", "day", "cohort"];

    /// <summary>(kpi, windows, isCount) in the order of the spec's table.</summary>
    public static IReadOnlyList<(string Kpi, string[] Windows, bool IsCount)> All { get; } =
    [
        ("headcount", ["day"], true),
        ("active_ai_users", ["1d", "7d", "28d"], true),
        ("ai_usage_rate", ["1d", "7d", "28d"], false),
        ("proposals", ["1d", "7d", "28d"], true),
        ("bottom_up_proposals", ["1d", "7d", "28d"], true),
        ("bottom_up_share", ["1d", "7d", "28d"], false),
        ("proposer_rate", ["28d"], false),
        ("decisions", ["1d", "7d", "28d"], true),
        ("ai_decisions", ["1d", "7d", "28d"], true),
        ("ai_decision_coverage", ["1d", "7d", "28d"], false),
        ("prototypes", ["1d", "7d", "28d"], true),
        ("frontline_prototypes", ["1d", "7d", "28d"], true),
        ("training_completions", ["1d", "7d", "28d"], true),
        ("training_completion_rate", ["day"], false),
        ("knowledge_shares", ["7d", "28d"], true),
        ("knowledge_share_rate", ["7d", "28d"], false),
        ("active_projects", ["day"], true),
        ("cross_department_projects", ["day"], true),
        ("failed_projects", ["90d"], true),
        ("retrospective_rate", ["90d"], false),
        ("cohort_proposals", ["cohort"], true),
        ("cohort_adopted", ["cohort"], true),
        ("proposal_conversion_rate", ["cohort"], false),
    ];

    private static readonly Dictionary<string, bool> CountByName = All.ToDictionary(k => k.Kpi, k => k.IsCount, StringComparer.Ordinal);

    public static bool IsKnown(string kpi) => CountByName.ContainsKey(kpi);

    public static bool IsCount(string kpi) => CountByName.TryGetValue(kpi, out var isCount) && isCount;
}
