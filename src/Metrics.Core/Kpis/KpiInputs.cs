using Metrics.Core.Directory;

namespace Metrics.Core.Kpis;

/// <summary>The event counters the engine keeps per department and day (28 days deep), for the event KPIs.</summary>
public enum KpiCounter
{
    Proposals,
    BottomUpProposals,
    Decisions,
    AiDecisions,
    Prototypes,
    FrontlinePrototypes,
    TrainingCompletions,
    KnowledgeShares,
}

/// <summary>
/// What the engine knows about one group (the org, one department or the merged small ones) on one day: the inputs of
/// every <see cref="KpiDefinition.Compute"/>. It holds counts only, never a person.
/// </summary>
public sealed class KpiInputs
{
    private readonly Func<KpiCounter, int, int> _events;

    internal KpiInputs(Func<KpiCounter, int, int> events) => _events = events;

    public int Headcount { get; internal set; }

    /// <summary>People in scope with an <c>ai.used</c> in the last 1, 7 and 28 days.</summary>
    public int ActiveAiUsers1 { get; internal set; }

    public int ActiveAiUsers7 { get; internal set; }

    public int ActiveAiUsers28 { get; internal set; }

    /// <summary>People in scope with a <c>proposal.submitted</c> in the last 28 days.</summary>
    public int Proposers28 { get; internal set; }

    public int TrainingEligible { get; internal set; }

    public int TrainingComplete { get; internal set; }

    internal int[] EligibleByLevel { get; } = new int[4];

    internal int[] ToolUsers7 { get; } = new int[AiTools.Count];

    internal int[] ToolUsers28 { get; } = new int[AiTools.Count];

    internal int[] CompleteByLevel { get; } = new int[4];

    public int ActiveProjects { get; internal set; }

    public int CrossDepartmentProjects { get; internal set; }

    public int FailedProjects { get; internal set; }

    public int RetrospectedProjects { get; internal set; }

    public int CohortProposals { get; internal set; }

    public int CohortAdopted { get; internal set; }

    public int TrainingEligibleAt(Level level) => EligibleByLevel[(int)level];

    public int TrainingCompleteAt(Level level) => CompleteByLevel[(int)level];

    /// <summary>People in scope with a qualifying <c>ai.used</c> in a window of 1, 7 or 28 days.</summary>
    public int ActiveAiUsers(int windowDays) => windowDays switch
    {
        1 => ActiveAiUsers1,
        7 => ActiveAiUsers7,
        28 => ActiveAiUsers28,
        _ => throw new ArgumentOutOfRangeException(nameof(windowDays), windowDays, "active AI users are kept for 1, 7 and 28 days"),
    };

    /// <summary>People in scope with an <c>ai.used</c> of one tool bucket (<see cref="AiTools"/>) in a window of 7 or 28 days.</summary>
    public int ToolUsers(int tool, int windowDays) => windowDays switch
    {
        7 => ToolUsers7[tool],
        28 => ToolUsers28[tool],
        _ => throw new ArgumentOutOfRangeException(nameof(windowDays), windowDays, "AI use by tool is kept for 7 and 28 days"),
    };

    /// <summary>The group's events of one counter in the window of 1 to 28 days ending on the day.</summary>
    public int Events(KpiCounter counter, int windowDays) => _events(counter, windowDays);

    /// <summary>A ratio as the spec writes it: none when the denominator is 0, else numerator / denominator in that order.</summary>
    public static double? Ratio(int numerator, int denominator) => denominator > 0 ? (double)numerator / denominator : null;
}
