namespace Metrics.Core.Events;

/// <summary>The canonical event types of the KPI contract (spec "Canonical events").</summary>
public enum EventType : byte
{
    AiUsed,
    TrainingEnrolled,
    TrainingCompleted,
    ProposalSubmitted,
    ProposalAdopted,
    DecisionRecorded,
    ProjectStarted,
    ProjectCompleted,
    ProjectFailed,
    ProjectRetrospective,
    ProjectMember,
    PrototypeCreated,
    KnowledgeShared,
    EventRetracted,
}

/// <summary>Wire names of <see cref="EventType"/> and the attribute each one requires.</summary>
public static class EventTypes
{
    private static readonly (EventType Type, string Name, string? Subject)[] Table =
    [
        (EventType.AiUsed, "ai.used", null),
        (EventType.TrainingEnrolled, "training.enrolled", "course"),
        (EventType.TrainingCompleted, "training.completed", "course"),
        (EventType.ProposalSubmitted, "proposal.submitted", "proposal"),
        (EventType.ProposalAdopted, "proposal.adopted", "proposal"),
        (EventType.DecisionRecorded, "decision.recorded", "decision"),
        (EventType.ProjectStarted, "project.started", "project"),
        (EventType.ProjectCompleted, "project.completed", "project"),
        (EventType.ProjectFailed, "project.failed", "project"),
        (EventType.ProjectRetrospective, "project.retrospective", "project"),
        (EventType.ProjectMember, "project.member", "project"),
        (EventType.PrototypeCreated, "prototype.created", "prototype"),
        (EventType.KnowledgeShared, "knowledge.shared", "artifact"),
        (EventType.EventRetracted, "event.retracted", "target"),
    ];

    private static readonly Dictionary<string, EventType> ByName =
        Table.ToDictionary(t => t.Name, t => t.Type, StringComparer.Ordinal);

    /// <summary>The wire name, e.g. <c>ai.used</c>.</summary>
    public static string Name(EventType type) => Table[(int)type].Name;

    /// <summary>The required attribute that identifies what the event is about (course, proposal, ...), or null for <c>ai.used</c>.</summary>
    public static string? SubjectAttribute(EventType type) => Table[(int)type].Subject;

    public static bool TryParse(string name, out EventType type) => ByName.TryGetValue(name, out type);

    private static readonly byte[][] Utf8Names = [.. Table.Select(t => System.Text.Encoding.UTF8.GetBytes(t.Name))];

    /// <summary>The type of a wire name given as UTF-8 (unescaped), without making a string of it.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Name, out EventType type)
    {
        for (var i = 0; i < Utf8Names.Length; i++)
        {
            if (utf8Name.SequenceEqual(Utf8Names[i]))
            {
                type = Table[i].Type;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>Types whose effect lasts beyond any KPI window (completed courses, project life cycles), so a
    /// recompute must see them from the start of history; every other type only matters in the last 180 days.</summary>
    public static bool NeedsFullHistory(EventType type) => type is EventType.TrainingCompleted
        or EventType.ProjectStarted or EventType.ProjectCompleted or EventType.ProjectFailed
        or EventType.ProjectRetrospective or EventType.ProjectMember;

    public static IReadOnlyList<EventType> All { get; } = Table.Select(t => t.Type).ToArray();
}
