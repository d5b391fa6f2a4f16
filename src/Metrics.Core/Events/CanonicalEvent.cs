namespace Metrics.Core.Events;

/// <summary>
/// One accepted canonical event. <see cref="Person"/> is already a normalised person key;
/// <see cref="Subject"/> holds the type's required attribute (course, proposal, project, target, ...).
/// </summary>
/// <param name="Source">The source system, e.g. <c>lms</c>; part of the dedupe key.</param>
/// <param name="Id">Unique within the source; part of the dedupe key.</param>
/// <param name="Type">The event type.</param>
/// <param name="Time">When it happened, with the offset it was reported in.</param>
/// <param name="Person">Normalised person key (see <see cref="PersonKey"/>).</param>
/// <param name="Subject">The required attribute's value, or null for <c>ai.used</c>.</param>
/// <param name="AiAssisted">For <c>decision.recorded</c>: whether AI assisted the decision.</param>
/// <param name="AttributesJson">The attributes object as received, kept for audit and re-mapping.</param>
public sealed record CanonicalEvent(
    string Source,
    string Id,
    EventType Type,
    DateTimeOffset Time,
    string Person,
    string? Subject,
    bool AiAssisted,
    string AttributesJson);
