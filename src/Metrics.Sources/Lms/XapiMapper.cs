using System.Text.Json;
using Metrics.Core.Events;
using Metrics.Sources.Common;

namespace Metrics.Sources.Lms;

/// <summary>Maps xAPI statements to canonical events under the configured course, verb and share rules.</summary>
public sealed class XapiMapper(LmsOptions options)
{
    public const string VoidedVerb = LmsOptions.AdlVerbs + "voided";

    private readonly HashSet<string> _courseIds = new(options.CourseActivityIds, StringComparer.Ordinal);
    private readonly HashSet<string> _courseTypes = new(options.CourseActivityTypes, StringComparer.Ordinal);
    private readonly HashSet<string> _completion = new(options.CompletionVerbs, StringComparer.Ordinal);
    private readonly HashSet<string> _enrolment = new(options.EnrolmentVerbs, StringComparer.Ordinal);
    private readonly HashSet<string> _share = new(options.ShareVerbs, StringComparer.Ordinal);
    private readonly HashSet<string> _shareTypes = new(options.ShareActivityTypes, StringComparer.Ordinal);
    private readonly HashSet<string> _ignored = new(options.IgnoredVerbs, StringComparer.Ordinal);

    /// <summary>Maps one raw statement into the page; returns its <c>stored</c> time when it had a usable one.</summary>
    public DateTimeOffset? Map(JsonElement raw, PageBuilder page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var rawId = raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("id", out var idElement)
            && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        XapiStatement statement;
        try
        {
            statement = SourceJson.Item<XapiStatement>(raw);
        }
        catch (JsonException)
        {
            page.Bad(rawId ?? "?", "malformed statement");
            return null;
        }

        if (string.IsNullOrWhiteSpace(statement.Id))
        {
            page.Bad("?", "statement without id");
            return null;
        }

        var id = statement.Id.Trim();
        if (statement.Stored is not { } stored)
        {
            page.Bad(id, "statement without stored time");
            return null;
        }

        var verb = statement.Verb?.Id;
        if (string.IsNullOrWhiteSpace(verb))
        {
            page.Bad(id, "statement without verb");
            return stored;
        }

        if (EventTime(statement.Timestamp, stored) is not { } time)
        {
            page.Bad(id, "timestamp is not an ISO 8601 time");
            return stored;
        }

        var person = Identity(statement.Actor);
        if (verb == VoidedVerb)
        {
            if (statement.Target is { ObjectType: "StatementRef", Id: { } target } && !string.IsNullOrWhiteSpace(target))
            {
                // The voider is usually an administrator; the retraction only needs some person to be a valid event.
                page.Add(id, EventType.EventRetracted, time, person ?? "xapi:authority", target.Trim());
            }
            else
            {
                page.Bad(id, "voiding statement without a StatementRef object");
            }

            return stored;
        }

        var kind = _completion.Contains(verb) ? EventType.TrainingCompleted
            : _enrolment.Contains(verb) ? EventType.TrainingEnrolled
            : _share.Contains(verb) ? EventType.KnowledgeShared
            : (EventType?)null;
        if (kind is null)
        {
            // A verb the configuration does not map (attended, a custom IRI) is normal data the KPIs do not use; only a
            // verb id that is no IRI at all is broken.
            if (_ignored.Contains(verb) || Uri.TryCreate(verb, UriKind.Absolute, out _))
            {
                page.Ignore("verb not mapped by configuration");
            }
            else
            {
                page.Bad(id, $"verb id is not an IRI: {Truncate(verb)}");
            }

            return stored;
        }

        if (person is null)
        {
            page.Bad(id, statement.Actor?.ObjectType == "Group" ? "group actor has no single identity" : "missing actor identity");
            return stored;
        }

        if (kind == EventType.TrainingCompleted && verb.EndsWith("/passed", StringComparison.Ordinal) && statement.Result?.Success == false)
        {
            page.Bad(id, "passed statement with result.success false");
            return stored;
        }

        if (kind == EventType.KnowledgeShared)
        {
            var artifact = statement.Target?.Id;
            if (string.IsNullOrWhiteSpace(artifact))
            {
                page.Bad(id, "shared statement without an object id");
            }
            else if (_shareTypes.Count > 0 && !_shareTypes.Contains(statement.Target?.Definition?.Type ?? string.Empty))
            {
                page.Ignore("shared activity type not configured");
            }
            else
            {
                page.Add(id, EventType.KnowledgeShared, time, person, artifact.Trim());
            }

            return stored;
        }

        var course = Course(statement);
        if (course is null)
        {
            page.Ignore("activity is not a configured course");
            return stored;
        }

        page.Add(id, kind.Value, time, person, course);
        return stored;
    }

    /// <summary>The catalog course of a statement: its object, or else a parent or grouping activity (cmi5 AUs sit under their course).</summary>
    public string? Course(XapiStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var candidates = new List<XapiObject?> { statement.Target };
        candidates.AddRange(statement.Context?.ContextActivities?.Parent ?? []);
        candidates.AddRange(statement.Context?.ContextActivities?.Grouping ?? []);
        foreach (var activity in candidates)
        {
            if (activity?.Id is not { } activityId || activity.ObjectType is not (null or "Activity"))
            {
                continue;
            }

            if (options.CourseIds.Find(m => string.Equals(m.ActivityId, activityId, StringComparison.Ordinal)) is { } mapped)
            {
                return mapped.CourseId;
            }

            if (_courseIds.Contains(activityId) || _courseTypes.Contains(activity.Definition?.Type ?? string.Empty))
            {
                return activityId;
            }

            foreach (var prefix in options.CourseActivityPrefixes)
            {
                if (activityId.StartsWith(prefix, StringComparison.Ordinal) && activityId.Length > prefix.Length)
                {
                    return options.StripCoursePrefix ? activityId[prefix.Length..].Trim('/') : activityId;
                }
            }
        }

        return null;
    }

    /// <summary>The normalised identity of an agent: mbox without <c>mailto:</c>, <c>account:homePage|name</c>, or the hashed/openid forms.</summary>
    public static string? Identity(XapiAgent? actor)
    {
        if (actor is null || actor.ObjectType == "Group")
        {
            return null;
        }

        return Identities.Email(actor.Mbox)
            ?? Identities.XapiAccount(actor.Account?.HomePage, actor.Account?.Name)
            ?? (string.IsNullOrWhiteSpace(actor.MboxSha1Sum) ? null : PersonKey.Normalize("sha1:" + actor.MboxSha1Sum))
            ?? (string.IsNullOrWhiteSpace(actor.Openid) ? null : PersonKey.Normalize("openid:" + actor.Openid));
    }

    /// <summary>
    /// When a statement's events happened. xAPI 1.0.3 (Data §2.4.7, §4.5) says a timestamp MUST be ISO 8601 and SHOULD
    /// include the time zone, and that an LRS SHOULD convert timestamps to UTC rather than reject those not in UTC; it
    /// sets <c>timestamp</c> to <c>stored</c> when the statement has none. So: no timestamp means <c>stored</c>; one with an
    /// offset is that instant; one without an offset is a valid statement and is read as UTC, as the LRS would have
    /// converted it (at most the zone's offset from the real instant, where <c>stored</c> could be days late for
    /// statements sent from offline devices). Null only when the text is not an ISO 8601 time at all.
    /// </summary>
    public static DateTimeOffset? EventTime(string? timestamp, DateTimeOffset stored)
    {
        if (string.IsNullOrWhiteSpace(timestamp))
        {
            return stored;
        }

        if (SourceJson.TryParseTime(timestamp, out var withOffset))
        {
            return withOffset;
        }

        return timestamp.Contains('T', StringComparison.Ordinal)
            && DateTime.TryParse(timestamp.Trim(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var utc)
            ? new DateTimeOffset(utc, TimeSpan.Zero)
            : null;
    }

    private static string Truncate(string text) => text.Length <= 120 ? text : text[..120] + "...";
}
