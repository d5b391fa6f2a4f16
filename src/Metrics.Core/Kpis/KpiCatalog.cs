namespace Metrics.Core.Kpis;

/// <summary>
/// The one table of KPI definitions: the engine computes exactly these, in this order; the export, the InfluxDB reads,
/// the dashboard checks, docs/kpis.md (kept in step by a test) and the digest read them from here.
/// </summary>
public static class KpiCatalog
{
    /// <summary>The department name under which departments below the minimum group size are merged.</summary>
    public const string SmallGroups = "(small groups)";

    /// <summary>The spec's target line for <c>proposer_rate</c>: 40 % of staff proposing.</summary>
    public const double ProposerTarget = 0.40;

    /// <summary>The spec's target line for <c>proposal_conversion_rate</c>: 30 % of proposals reaching production.</summary>
    public const double ConversionTarget = 0.30;

    private const string Percent = "percentunit";
    private const string Number = "none";

    /// <summary>Every window tag, in the spec's order.</summary>
    public static IReadOnlyList<string> Windows { get; } = ["1d", "7d", "28d", "90d", "day", "cohort"];

    private static readonly string[] EventWindows = ["1d", "7d", "28d"];

    private static readonly string[] ToolWindows = ["7d", "28d"];

    /// <summary>A per-tool KPI is written only per tool (<see cref="KpiDefinition.ComputeByTool"/>).</summary>
    private static readonly Func<KpiInputs, int, double?> NoValueAcrossTools = (_, _) => null;

    /// <summary>Every KPI of the contract, in the order of the spec's table, then the extensions (per-tool AI use).</summary>
    public static IReadOnlyList<KpiDefinition> All { get; } =
    [
        new("headcount", "Headcount", KpiKind.Count, Number, ["day"], null,
            "people in scope of the group on d",
            (g, _) => g.Headcount),
        new("active_ai_users", "Active AI users", KpiKind.Count, Number, EventWindows, null,
            "people in scope on d with a resolved ai.used in W",
            (g, n) => g.ActiveAiUsers(n)),
        new("ai_usage_rate", "AI usage rate", KpiKind.Ratio, Percent, EventWindows, null,
            "active_ai_users / headcount",
            (g, n) => KpiInputs.Ratio(g.ActiveAiUsers(n), g.Headcount)),
        new("proposals", "Proposals", KpiKind.Count, Number, EventWindows, null,
            "resolved proposal.submitted events in W",
            (g, n) => g.Events(KpiCounter.Proposals, n)),
        new("bottom_up_proposals", "Bottom-up proposals", KpiKind.Count, Number, EventWindows, null,
            "proposals whose person was frontline on the event's day",
            (g, n) => g.Events(KpiCounter.BottomUpProposals, n)),
        new("bottom_up_share", "Bottom-up share", KpiKind.Ratio, Percent, EventWindows, null,
            "bottom_up_proposals / proposals",
            (g, n) => KpiInputs.Ratio(g.Events(KpiCounter.BottomUpProposals, n), g.Events(KpiCounter.Proposals, n))),
        new("proposer_rate", "Proposer rate", KpiKind.Ratio, Percent, ["28d"], ProposerTarget,
            "people in scope on d with a resolved proposal.submitted in W, / headcount",
            (g, _) => KpiInputs.Ratio(g.Proposers28, g.Headcount)),
        new("decisions", "Decisions", KpiKind.Count, Number, EventWindows, null,
            "resolved decision.recorded events in W",
            (g, n) => g.Events(KpiCounter.Decisions, n)),
        new("ai_decisions", "AI decisions", KpiKind.Count, Number, EventWindows, null,
            "decisions with aiAssisted = true",
            (g, n) => g.Events(KpiCounter.AiDecisions, n)),
        new("ai_decision_coverage", "AI decision coverage", KpiKind.Ratio, Percent, EventWindows, null,
            "ai_decisions / decisions",
            (g, n) => KpiInputs.Ratio(g.Events(KpiCounter.AiDecisions, n), g.Events(KpiCounter.Decisions, n))),
        new("prototypes", "Prototypes", KpiKind.Count, Number, EventWindows, null,
            "resolved prototype.created events in W",
            (g, n) => g.Events(KpiCounter.Prototypes, n)),
        new("frontline_prototypes", "Frontline prototypes", KpiKind.Count, Number, EventWindows, null,
            "prototypes whose person is frontline on the event's day",
            (g, n) => g.Events(KpiCounter.FrontlinePrototypes, n)),
        new("training_completions", "Training completions", KpiKind.Count, Number, EventWindows, null,
            "resolved training.completed events in W (any course)",
            (g, n) => g.Events(KpiCounter.TrainingCompletions, n)),
        new("training_completion_rate", "Training completion rate", KpiKind.Ratio, Percent, ["day"], null,
            "among people in scope on d whose level requires a catalog course, the share who completed every course required for it",
            (g, _) => KpiInputs.Ratio(g.TrainingComplete, g.TrainingEligible))
        {
            ComputeByLevel = (g, level) => g.TrainingEligibleAt(level) is var eligible and > 0
                ? ((double)g.TrainingCompleteAt(level) / eligible, eligible)
                : null,
        },
        new("knowledge_shares", "Knowledge shares", KpiKind.Count, Number, ["7d", "28d"], null,
            "resolved knowledge.shared events in W",
            (g, n) => g.Events(KpiCounter.KnowledgeShares, n)),
        new("knowledge_share_rate", "Knowledge share rate", KpiKind.Ratio, "suffix: per 100 people/week", ["7d", "28d"], null,
            "knowledge_shares per 100 people per week: knowledge_shares * 100 * 7 / (headcount * n)",
            (g, n) => g.Headcount > 0 ? KpiEngine.KnowledgeShareRate(g.Events(KpiCounter.KnowledgeShares, n), g.Headcount, n) : null),
        new("active_projects", "Active projects", KpiKind.Count, Number, ["day"], null,
            "projects started on or before d and not ended before d (department: with a member in it on d)",
            (g, _) => g.ActiveProjects),
        new("cross_department_projects", "Cross-department projects", KpiKind.Count, Number, ["day"], null,
            "active projects whose members in scope on d span two or more departments",
            (g, _) => g.CrossDepartmentProjects),
        new("failed_projects", "Failed projects", KpiKind.Count, Number, ["90d"], null,
            "projects whose first project.failed is in W",
            (g, _) => g.FailedProjects),
        new("retrospective_rate", "Retrospective rate", KpiKind.Ratio, Percent, ["90d"], null,
            "failed projects in W with a retrospective within 30 days of the failure, / failed_projects",
            (g, _) => KpiInputs.Ratio(g.RetrospectedProjects, g.FailedProjects)),
        new("cohort_proposals", "Cohort proposals", KpiKind.Count, Number, ["cohort"], null,
            "proposals submitted on days d-179 .. d-90",
            (g, _) => g.CohortProposals),
        new("cohort_adopted", "Cohort adopted", KpiKind.Count, Number, ["cohort"], null,
            "cohort proposals adopted at most 90 days after their submission",
            (g, _) => g.CohortAdopted),
        new("proposal_conversion_rate", "Proposal conversion rate", KpiKind.Ratio, Percent, ["cohort"], ConversionTarget,
            "cohort_adopted / cohort_proposals",
            (g, _) => KpiInputs.Ratio(g.CohortAdopted, g.CohortProposals)),

        // Extension beyond the contract (docs/kpis.md): AI use per tool, written to kpi_by_tool with a tool tag.
        new("ai_tool_users", "AI users by tool", KpiKind.Count, Number, ToolWindows, null,
            "people in scope on d with a resolved ai.used of the tool in W",
            NoValueAcrossTools)
        {
            ComputeByTool = (g, tool, n) => g.ToolUsers(tool, n),
        },
        new("ai_tool_usage_rate", "AI usage rate by tool", KpiKind.Ratio, Percent, ToolWindows, null,
            "ai_tool_users / headcount",
            NoValueAcrossTools)
        {
            ComputeByTool = (g, tool, n) => KpiInputs.Ratio(g.ToolUsers(tool, n), g.Headcount),
        },
    ];

    private static readonly Dictionary<string, KpiDefinition> ByName = All.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public static bool IsKnown(string kpi) => ByName.ContainsKey(kpi);

    public static bool IsCount(string kpi) => ByName.TryGetValue(kpi, out var definition) && definition.IsCount;

    /// <summary>The definition of a KPI by its <c>kpi</c> tag, or null when it is not one of the contract's.</summary>
    public static KpiDefinition? Find(string kpi) => ByName.GetValueOrDefault(kpi);
}
