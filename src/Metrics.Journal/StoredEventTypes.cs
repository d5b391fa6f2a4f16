using Metrics.Core.Events;

namespace Metrics.Journal;

/// <summary>
/// The integer each event type is stored as. These codes are part of the file format: they never change and are
/// never reused, whatever the order of <see cref="EventType"/> becomes. A type added later gets the next free code.
/// Integers rather than wire names keep 50 million rows about 15 bytes each smaller.
/// </summary>
internal static class StoredEventTypes
{
    /// <summary>The code of <c>event.retracted</c>; the partial index on retraction targets spells it as a literal.</summary>
    public const int Retracted = 14;

    private static readonly (EventType Type, int Code)[] Codes =
    [
        (EventType.AiUsed, 1),
        (EventType.TrainingEnrolled, 2),
        (EventType.TrainingCompleted, 3),
        (EventType.ProposalSubmitted, 4),
        (EventType.ProposalAdopted, 5),
        (EventType.DecisionRecorded, 6),
        (EventType.ProjectStarted, 7),
        (EventType.ProjectCompleted, 8),
        (EventType.ProjectFailed, 9),
        (EventType.ProjectRetrospective, 10),
        (EventType.ProjectMember, 11),
        (EventType.PrototypeCreated, 12),
        (EventType.KnowledgeShared, 13),
        (EventType.EventRetracted, Retracted),
    ];

    private static readonly Dictionary<EventType, int> ByType = Codes.ToDictionary(c => c.Type, c => c.Code);

    private static readonly EventType?[] ByCode = BuildByCode();

    /// <summary>Bit <c>code</c> is set for every type a recompute needs from the start of history.</summary>
    public static long FullHistoryMask { get; } = Codes
        .Where(c => EventTypes.NeedsFullHistory(c.Type))
        .Aggregate(0L, (mask, c) => mask | (1L << c.Code));

    public static int ToCode(EventType type) =>
        ByType.TryGetValue(type, out var code)
            ? code
            : throw new ArgumentOutOfRangeException(nameof(type), type, "event type has no stored code; add one to StoredEventTypes");

    public static EventType FromCode(long code) =>
        code >= 0 && code < ByCode.Length && ByCode[code] is { } type
            ? type
            : throw new InvalidDataException($"the journal holds an event type code {code} this version does not know");

    private static EventType?[] BuildByCode()
    {
        var byCode = new EventType?[Codes.Max(c => c.Code) + 1];
        foreach (var (type, code) in Codes)
        {
            byCode[code] = type;
        }

        return byCode;
    }
}
