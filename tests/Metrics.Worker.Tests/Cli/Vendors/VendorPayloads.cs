using System.Globalization;
using System.Text.Json.Nodes;

namespace Metrics.Worker.Tests.Cli.Vendors;

/// <summary>Hand-written records in the shapes Graph, an xAPI LRS, n8n and Jira Cloud return them.</summary>
public static class VendorPayloads
{
    public const string Adl = "http://adlnet.gov/expapi/verbs/";

    // ---- times as each vendor writes them ----

    /// <summary>UTC with milliseconds and <c>Z</c> (xAPI <c>stored</c>, n8n, Graph).</summary>
    public static string Utc(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Local time with an ISO offset, as an LMS writes an xAPI <c>timestamp</c> (<c>+01:00</c>).</summary>
    public static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>Jira's format: milliseconds and an offset without a colon (<c>+0100</c>, <c>+0000</c>).</summary>
    public static string Jira(DateTimeOffset t) =>
        t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture)
        + (t.Offset < TimeSpan.Zero ? "-" : "+") + t.Offset.ToString("hhmm", CultureInfo.InvariantCulture);

    // ---- Microsoft Graph ----

    public static JsonObject GraphUser(string id, string mail, string upn, string? department, string? jobTitle, string? managerId, bool enabled = true, string? employeeId = null)
    {
        var user = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.user",
            ["id"] = id,
            ["accountEnabled"] = enabled,
            ["department"] = department,
            ["employeeId"] = employeeId,
            ["jobTitle"] = jobTitle,
            ["mail"] = mail,
            ["userPrincipalName"] = upn,
        };
        if (managerId is not null)
        {
            user["manager"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.user", ["id"] = managerId };
        }

        return user;
    }

    // ---- xAPI ----

    public static JsonObject Mbox(string email, string name) => new() { ["objectType"] = "Agent", ["name"] = name, ["mbox"] = "mailto:" + email };

    public static JsonObject Account(string homePage, string accountName, string name) => new()
    {
        ["objectType"] = "Agent",
        ["name"] = name,
        ["account"] = new JsonObject { ["homePage"] = homePage, ["name"] = accountName },
    };

    public static Timed Statement(
        string id,
        JsonObject actor,
        string verb,
        string activityId,
        string activityType,
        string title,
        DateTimeOffset timestamp,
        bool? success = null,
        JsonObject? grouping = null)
    {
        var stored = timestamp.AddSeconds(41);
        var result = new JsonObject { ["completion"] = true, ["duration"] = "PT27M12S" };
        if (success is { } s)
        {
            result["success"] = s;
            result["score"] = new JsonObject { ["scaled"] = s ? 0.86 : 0.41 };
        }

        var json = new JsonObject
        {
            ["id"] = id,
            ["actor"] = actor,
            ["verb"] = new JsonObject { ["id"] = verb, ["display"] = new JsonObject { ["en-US"] = verb[(verb.LastIndexOf('/') + 1)..] } },
            ["object"] = new JsonObject
            {
                ["objectType"] = "Activity",
                ["id"] = activityId,
                ["definition"] = new JsonObject { ["name"] = new JsonObject { ["en-US"] = title }, ["type"] = activityType },
            },
            ["result"] = result,
            ["context"] = new JsonObject
            {
                ["registration"] = Guid.NewGuid().ToString(),
                ["platform"] = "Moodle 4.3",
                ["language"] = "de-DE",
            },
            ["timestamp"] = Iso(timestamp),
            ["stored"] = Utc(stored),
            ["authority"] = new JsonObject { ["objectType"] = "Agent", ["name"] = "moodle", ["account"] = new JsonObject { ["homePage"] = "https://lrs.example.com", ["name"] = "moodle-prod" } },
            ["version"] = "1.0.3",
        };
        if (grouping is not null)
        {
            json["context"]!["contextActivities"] = new JsonObject { ["grouping"] = new JsonArray(grouping) };
        }

        return new Timed(stored, json);
    }

    /// <summary>A voiding statement: an LMS administrator retracts <paramref name="target"/>.</summary>
    public static Timed Voiding(string id, string target, DateTimeOffset timestamp)
    {
        var stored = timestamp.AddSeconds(3);
        var json = new JsonObject
        {
            ["id"] = id,
            ["actor"] = Mbox("lms-admin@example.com", "LMS Administrator"),
            ["verb"] = new JsonObject { ["id"] = Adl + "voided", ["display"] = new JsonObject { ["en-US"] = "voided" } },
            ["object"] = new JsonObject { ["objectType"] = "StatementRef", ["id"] = target },
            ["timestamp"] = Iso(timestamp),
            ["stored"] = Utc(stored),
            ["authority"] = new JsonObject { ["objectType"] = "Agent", ["name"] = "moodle", ["account"] = new JsonObject { ["homePage"] = "https://lrs.example.com", ["name"] = "moodle-prod" } },
            ["version"] = "1.0.3",
        };
        return new Timed(stored, json);
    }

    // ---- n8n ----

    public static JsonObject Workflow(string id, string name, DateTimeOffset created, DateTimeOffset updated, string projectId, params string[] nodeTypes) => new()
    {
        ["id"] = id,
        ["name"] = name,
        ["active"] = true,
        ["isArchived"] = false,
        ["createdAt"] = Utc(created),
        ["updatedAt"] = Utc(updated),
        ["versionId"] = Guid.NewGuid().ToString(),
        ["triggerCount"] = 1,
        ["nodes"] = new JsonArray(nodeTypes.Select((t, i) => (JsonNode)new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["name"] = t[(t.LastIndexOf('.') + 1)..] + " " + i.ToString(CultureInfo.InvariantCulture),
            ["type"] = t,
            ["typeVersion"] = 1,
            ["position"] = new JsonArray(220 * i, 300),
            ["parameters"] = new JsonObject(),
        }).ToArray()),
        ["connections"] = new JsonObject(),
        ["settings"] = new JsonObject { ["executionOrder"] = "v1" },
        ["staticData"] = null,
        ["meta"] = null,
        ["pinData"] = null,
        ["tags"] = new JsonArray(),
        ["shared"] = new JsonArray(new JsonObject
        {
            ["role"] = "workflow:owner",
            ["workflowId"] = id,
            ["projectId"] = projectId,
            ["createdAt"] = Utc(created),
            ["updatedAt"] = Utc(created),
        }),
    };

    public static JsonObject Execution(int id, string workflowId, DateTimeOffset startedAt, string status = "success", string mode = "trigger") => new()
    {
        ["id"] = id,
        ["finished"] = status == "success",
        ["mode"] = mode,
        ["retryOf"] = null,
        ["retrySuccessId"] = null,
        ["startedAt"] = Utc(startedAt),
        ["stoppedAt"] = Utc(startedAt.AddSeconds(7)),
        ["workflowId"] = workflowId,
        ["waitTill"] = null,
        ["status"] = status,
    };

    public static JsonObject Member(string id, string email, string firstName, string lastName, string role) => new()
    {
        ["id"] = id,
        ["email"] = email,
        ["firstName"] = firstName,
        ["lastName"] = lastName,
        ["isPending"] = false,
        ["createdAt"] = "2025-02-03T08:12:44.000Z",
        ["updatedAt"] = "2025-06-20T10:01:09.000Z",
        ["role"] = role,
    };

    // ---- Jira Cloud ----

    /// <summary>A Jira user; <paramref name="email"/> null when the profile hides it (the common case with managed accounts).</summary>
    public static JsonObject JiraUser(string accountId, string displayName, string? email)
    {
        var user = new JsonObject
        {
            ["self"] = "https://acme.atlassian.net/rest/api/3/user?accountId=" + accountId,
            ["accountId"] = accountId,
            ["displayName"] = displayName,
            ["active"] = true,
            ["timeZone"] = "Europe/Berlin",
            ["accountType"] = "atlassian",
        };
        if (email is not null)
        {
            user["emailAddress"] = email;
        }

        return user;
    }

    public static Timed Issue(
        string id,
        string key,
        string type,
        DateTimeOffset created,
        DateTimeOffset updated,
        JsonObject reporter,
        JsonObject? assignee = null,
        string[]? labels = null,
        string? resolution = null,
        DateTimeOffset? resolved = null,
        JsonObject? parent = null,
        string? summary = null)
    {
        var done = resolved is not null;
        var fields = new JsonObject
        {
            ["summary"] = summary ?? key,
            ["issuetype"] = new JsonObject
            {
                ["self"] = "https://acme.atlassian.net/rest/api/3/issuetype/10001",
                ["id"] = "10001",
                ["name"] = type,
                ["subtask"] = false,
                ["hierarchyLevel"] = type == "Epic" ? 1 : 0,
            },
            ["labels"] = new JsonArray((labels ?? []).Select(l => (JsonNode)l).ToArray()),
            ["reporter"] = reporter,
            ["assignee"] = assignee,
            ["created"] = Jira(created),
            ["updated"] = Jira(updated),
            ["resolution"] = resolution is null ? null : new JsonObject { ["id"] = "10000", ["name"] = resolution, ["description"] = "Work has been completed on this issue." },
            ["resolutiondate"] = resolved is { } r ? Jira(r) : null,
            ["status"] = new JsonObject
            {
                ["name"] = done ? "Done" : "In Progress",
                ["statusCategory"] = new JsonObject { ["id"] = done ? 3 : 4, ["key"] = done ? "done" : "indeterminate", ["name"] = done ? "Done" : "In Progress" },
            },
            ["issuelinks"] = new JsonArray(),
            ["priority"] = new JsonObject { ["name"] = "Medium", ["id"] = "3" },
        };
        if (parent is not null)
        {
            fields["parent"] = parent;
        }

        var json = new JsonObject
        {
            ["expand"] = "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
            ["id"] = id,
            ["self"] = "https://acme.atlassian.net/rest/api/3/issue/" + id,
            ["key"] = key,
            ["fields"] = fields,
        };
        return new Timed(updated, json);
    }

    public static JsonObject JiraParent(string id, string key, string type) => new()
    {
        ["id"] = id,
        ["key"] = key,
        ["self"] = "https://acme.atlassian.net/rest/api/3/issue/" + id,
        ["fields"] = new JsonObject
        {
            ["summary"] = "Parent " + key,
            ["status"] = new JsonObject { ["name"] = "In Progress" },
            ["priority"] = new JsonObject { ["name"] = "Medium" },
            ["issuetype"] = new JsonObject { ["id"] = "10000", ["name"] = type, ["subtask"] = false, ["hierarchyLevel"] = 1 },
        },
    };
}
