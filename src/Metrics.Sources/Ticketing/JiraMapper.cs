using System.Globalization;
using System.Text.Json;
using Metrics.Core.Events;
using Metrics.Sources.Common;

namespace Metrics.Sources.Ticketing;

/// <summary>
/// Maps Jira issues to canonical events under the configured rules. Event ids are the issue id plus the event's role, so
/// re-reading an issue replaces its events rather than adding new ones (keys change when issues move projects; ids do not).
/// </summary>
public sealed class JiraMapper(TicketingOptions options)
{
    public const string SourceName = "ticketing";

    /// <summary>Standard fields every rule may read.</summary>
    public static readonly IReadOnlyList<string> StandardFields =
    [
        "issuetype", "labels", "reporter", "assignee", "created", "updated", "resolution", "resolutiondate", "status", "parent", "issuelinks",
    ];

    /// <summary>The <c>fields</c> parameter: standard fields, fields used by rules, and configured extras.</summary>
    public string Fields()
    {
        var fields = new List<string>(StandardFields);
        foreach (var rule in new[] { options.Proposal, options.Decision, options.Project, options.Retrospective, options.AiAssisted })
        {
            if (!string.IsNullOrWhiteSpace(rule.Field))
            {
                fields.Add(rule.Field.Trim());
            }
        }

        fields.AddRange(options.ExtraFields);
        return string.Join(',', fields.Distinct(StringComparer.Ordinal));
    }

    /// <summary>Maps one raw issue into the page; returns its <c>updated</c> time when readable.</summary>
    public DateTimeOffset? Map(JsonElement raw, PageBuilder page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var rawKey = raw.ValueKind == JsonValueKind.Object && raw.TryGetProperty("key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
        JiraIssue issue;
        try
        {
            issue = SourceJson.Item<JiraIssue>(raw);
        }
        catch (JsonException)
        {
            page.Bad(rawKey ?? "?", "malformed issue");
            return null;
        }

        if (string.IsNullOrWhiteSpace(issue.Id) || string.IsNullOrWhiteSpace(issue.Key) || issue.Fields is null)
        {
            page.Bad(issue.Key ?? issue.Id ?? "?", "issue without id, key or fields");
            return null;
        }

        var f = issue.Fields;
        if (f.Created is not { } created)
        {
            page.Bad(issue.Key, "issue without created time");
            return f.Updated;
        }

        var id = issue.Id.Trim();
        var key = issue.Key.Trim();
        var reporter = Person(f.Reporter, page);
        var assignee = Person(f.Assignee, page);
        var done = IsDone(f.Status?.StatusCategory);
        var resolvedAt = f.ResolutionDate ?? (done ? f.Updated : null);
        var resolution = f.Resolution?.Name;
        var aiAssisted = Matches(options.AiAssisted, f);
        var matched = false;

        void Emit(string role, EventType type, DateTimeOffset time, string? person, string? subject, bool ai = false, string? tool = null)
        {
            if (person is null)
            {
                page.Bad(key, $"{EventTypes.Name(type)} without reporter or assignee identity");
                return;
            }

            page.Add(id + ":" + role, type, time, person, subject, ai, tool);
        }

        if (Matches(options.Proposal, f))
        {
            matched = true;
            Emit("proposal.submitted", EventType.ProposalSubmitted, created, reporter, key);
            if (done && resolvedAt is { } at && Contains(options.AdoptedResolutions, resolution))
            {
                Emit("proposal.adopted", EventType.ProposalAdopted, at, reporter, key);
            }
        }

        if (Matches(options.Decision, f) && resolvedAt is { } decidedAt)
        {
            matched = true;
            Emit("decision", EventType.DecisionRecorded, decidedAt, assignee ?? reporter, key, aiAssisted);
        }

        if (Matches(options.Project, f))
        {
            matched = true;
            Emit("project.started", EventType.ProjectStarted, created, reporter, key);
            if (done && resolvedAt is { } endedAt)
            {
                var failed = Contains(options.FailedResolutions, resolution)
                    || (f.Labels ?? []).Any(l => Contains(options.FailedLabels, l));
                Emit(failed ? "project.failed" : "project.completed", failed ? EventType.ProjectFailed : EventType.ProjectCompleted, endedAt, assignee ?? reporter, key);
            }

            Members(id, key, created, reporter, assignee, page);
        }
        else if (ProjectOf(f) is { } parentProject)
        {
            matched = true;
            Members(id, parentProject, created, reporter, assignee, page);
        }

        if (Matches(options.Retrospective, f))
        {
            matched = true;
            var project = f.Parent?.Key ?? f.IssueLinks?.Select(l => l.InwardIssue?.Key ?? l.OutwardIssue?.Key).FirstOrDefault(x => x is not null);
            if (project is null)
            {
                page.Bad(key, "retrospective without a parent or linked project");
            }
            else
            {
                Emit("retrospective", EventType.ProjectRetrospective, resolvedAt ?? created, reporter, project);
            }
        }

        if (aiAssisted && options.EmitAiUsed)
        {
            matched = true;
            Emit("ai.used", EventType.AiUsed, resolvedAt ?? created, assignee ?? reporter, null, tool: "jira");
        }

        if (!matched)
        {
            page.Ignore("issue matches no rule");
        }

        return f.Updated;
    }

    /// <summary>
    /// The identity of a Jira user (see <see cref="Identities.Jira"/>). The e-mail shows or hides with the user's privacy
    /// setting, so where it shows, the account id is linked to it: the same account's issues read while it was hidden
    /// (as <c>jira:&lt;accountId&gt;</c>) then count for the same person instead of a second one.
    /// </summary>
    private static string? Person(JiraUser? user, PageBuilder page)
    {
        if (Identities.Email(user?.EmailAddress) is { } email && Identities.JiraAccount(user?.AccountId) is { } account)
        {
            page.Link(account, email);
        }

        return Identities.Jira(user?.AccountId, user?.EmailAddress);
    }

    /// <summary>
    /// Whether a status category means done, in every shape Atlassian documents: the object Jira Cloud returns
    /// (<c>{id: 3, key: "done", name: "Done", colorName: "green"}</c>), the swagger's own example
    /// (<c>{id: 9, key: "completed", colorName: "green"}</c>, no name), and the upper-case <c>DONE</c> member (beside the to-do and in-progress ones) of the string enum of the
    /// workflow and status APIs. Keys and names are compared without case.
    /// </summary>
    public static bool IsDone(JsonElement? category)
    {
        if (category is not { } c)
        {
            return false;
        }

        static bool Text(JsonElement e, string name, params string[] values) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && values.Contains(v.GetString()!.Trim(), StringComparer.OrdinalIgnoreCase);

        return c.ValueKind switch
        {
            JsonValueKind.String => string.Equals(c.GetString()?.Trim(), "done", StringComparison.OrdinalIgnoreCase),
            JsonValueKind.Object => Text(c, "key", "done", "completed") || Text(c, "name", "Done")
                || (!c.TryGetProperty("key", out _) && c.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt32(out var n) && n == 3),
            _ => false,
        };
    }

    /// <summary>The project an issue belongs to through its parent, when the parent's type is a project type.</summary>
    private string? ProjectOf(JiraFields f) =>
        f.Parent?.Key is { } parentKey && options.Project.IssueTypes.Count > 0
            && Contains(options.Project.IssueTypes, f.Parent.Fields?.IssueType?.Name)
            ? parentKey : null;

    private static void Members(string issueId, string project, DateTimeOffset time, string? reporter, string? assignee, PageBuilder page)
    {
        // One event per person and issue: a reassignment adds the new member and keeps the earlier one.
        foreach (var person in new[] { reporter, assignee }.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            page.Add(issueId + ":member:" + person, EventType.ProjectMember, time, person, project);
        }
    }

    public static bool Matches(IssueMatch rule, JiraFields fields)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(fields);
        if (!rule.IsSet)
        {
            return false;
        }

        if (rule.IssueTypes.Count > 0 && !Contains(rule.IssueTypes, fields.IssueType?.Name))
        {
            return false;
        }

        if (rule.Labels.Count > 0 && !(fields.Labels ?? []).Any(l => Contains(rule.Labels, l)))
        {
            return false;
        }

        if (!string.IsNullOrWhiteSpace(rule.Field))
        {
            var values = fields.Other is not null && fields.Other.TryGetValue(rule.Field.Trim(), out var value) ? FieldTexts(value) : [];
            if (rule.FieldValues.Count == 0
                ? !values.Any(v => v.Length > 0 && !string.Equals(v, "false", StringComparison.OrdinalIgnoreCase))
                : !values.Any(v => Contains(rule.FieldValues, v)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The text values of a field: strings, numbers, booleans, option objects (<c>value</c>/<c>name</c>) and arrays of them.</summary>
    public static IReadOnlyList<string> FieldTexts(JsonElement value)
    {
        var result = new List<string>();
        void Add(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String:
                    result.Add(e.GetString()!.Trim());
                    break;
                case JsonValueKind.Number:
                    result.Add(e.GetRawText());
                    break;
                case JsonValueKind.True:
                case JsonValueKind.False:
                    result.Add(e.GetBoolean().ToString(CultureInfo.InvariantCulture).ToLowerInvariant());
                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Add(item);
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (var name in new[] { "value", "name", "key", "id" })
                    {
                        if (e.TryGetProperty(name, out var inner) && inner.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                        {
                            Add(inner);
                            break;
                        }
                    }

                    break;
                default:
                    break;
            }
        }

        Add(value);
        return result;
    }

    private static bool Contains(List<string> list, string? value) =>
        value is not null && list.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);
}
