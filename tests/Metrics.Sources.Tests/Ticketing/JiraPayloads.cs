using System.Text.Json.Nodes;

namespace Metrics.Sources.Tests.Ticketing;

/// <summary>Issues in the shape <c>GET /rest/api/3/search/jql</c> returns them (times with colon-less offsets).</summary>
public static class JiraPayloads
{
    public static JsonObject User(string accountId, string? email = null)
    {
        var user = new JsonObject
        {
            ["self"] = "https://acme.atlassian.net/rest/api/3/user?accountId=" + accountId,
            ["accountId"] = accountId,
            ["displayName"] = "Someone",
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

    public static JsonObject Issue(
        string id,
        string key,
        string type,
        string created,
        string updated,
        string[]? labels = null,
        JsonObject? reporter = null,
        JsonObject? assignee = null,
        string? resolution = null,
        string? resolutionDate = null,
        string statusCategory = "new",
        JsonObject? parent = null,
        Action<JsonObject>? extra = null)
    {
        var fields = new JsonObject
        {
            ["issuetype"] = new JsonObject { ["id"] = "10001", ["name"] = type, ["subtask"] = false },
            ["labels"] = new JsonArray((labels ?? []).Select(l => (JsonNode)l).ToArray()),
            ["components"] = new JsonArray(),
            ["reporter"] = reporter ?? User("5b10ac8d82e05b22cc7d4ef5", "Ana.Silva@example.com"),
            ["assignee"] = assignee,
            ["created"] = created,
            ["updated"] = updated,
            ["resolution"] = resolution is null ? null : new JsonObject { ["id"] = "10000", ["name"] = resolution },
            ["resolutiondate"] = resolutionDate,
            ["status"] = new JsonObject
            {
                ["name"] = statusCategory == "done" ? "Done" : "To Do",
                ["statusCategory"] = new JsonObject { ["key"] = statusCategory, ["name"] = statusCategory },
            },
            ["issuelinks"] = new JsonArray(),
        };
        if (parent is not null)
        {
            fields["parent"] = parent;
        }

        extra?.Invoke(fields);
        return new JsonObject
        {
            ["expand"] = "",
            ["id"] = id,
            ["self"] = "https://acme.atlassian.net/rest/api/3/issue/" + id,
            ["key"] = key,
            ["fields"] = fields,
        };
    }

    public static JsonObject Parent(string id, string key, string type) => new()
    {
        ["id"] = id,
        ["key"] = key,
        ["fields"] = new JsonObject
        {
            ["summary"] = "Parent",
            ["status"] = new JsonObject { ["name"] = "In Progress" },
            ["issuetype"] = new JsonObject { ["id"] = "10000", ["name"] = type },
        },
    };

    public static string Page(string? nextPageToken, params JsonNode[] issues)
    {
        var page = new JsonObject { ["issues"] = new JsonArray(issues) };
        if (nextPageToken is null)
        {
            page["isLast"] = true;
        }
        else
        {
            page["nextPageToken"] = nextPageToken;
            page["isLast"] = false;
        }

        return page.ToJsonString();
    }
}
