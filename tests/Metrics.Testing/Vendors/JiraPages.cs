using System.Text.Json.Nodes;

namespace Metrics.Testing.Vendors;

/// <summary>
/// Jira Cloud issues of <c>GET /rest/api/3/search/jql</c> for scenario tests, each a copy of the recorded issue
/// (<c>vendor-pages/jira/search.page2.json</c>, built on the operation's example and schemas) with the scenario's
/// values put in; times are written as Jira writes them (offset without a colon).
/// </summary>
public static class JiraPages
{
    public const string Vendor = "jira";

    /// <summary>The recorded user; <paramref name="email"/> null when the profile hides it (as on the recorded page 1).</summary>
    public static JsonObject User(string accountId, string? email = null, string? displayName = null)
    {
        var user = Issue0()["fields"]!["reporter"]!.DeepClone().AsObject()
            .Set("accountId", accountId)
            .Set("self", "https://your-domain.atlassian.net/rest/api/3/user?accountId=" + accountId);
        if (displayName is not null)
        {
            user.Set("displayName", displayName);
        }

        if (email is null)
        {
            user.Remove("emailAddress");
        }
        else
        {
            user.Set("emailAddress", email);
        }

        return user;
    }

    /// <summary>
    /// The recorded issue with these values. <paramref name="statusCategory"/> is one of Jira Cloud's category keys
    /// (<c>new</c>, <c>indeterminate</c>, <c>done</c>); <paramref name="extra"/> adds a site's custom fields.
    /// </summary>
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
        var (categoryId, categoryName) = statusCategory switch
        {
            "done" => (3, "Done"),
            "indeterminate" => (4, "In Progress"),
            _ => (2, "To Do"),
        };
        var issue = Issue0()
            .Set("id", id)
            .Set("key", key)
            .Set("self", "https://your-domain.atlassian.net/rest/api/3/issue/" + id)
            .Set("fields.issuetype.name", type)
            .Set("fields.labels", new JsonArray([.. (labels ?? []).Select(l => (JsonNode)l)]))
            .Set("fields.reporter", reporter ?? User("5b10ac8d82e05b22cc7d4ef5", "Ana.Silva@example.com"))
            .Set("fields.assignee", assignee)
            .Set("fields.created", created)
            .Set("fields.updated", updated)
            .Set("fields.resolution", resolution is null ? null : Issue0()["fields"]!["resolution"]!.DeepClone().AsObject().Set("name", resolution))
            .Set("fields.resolutiondate", resolutionDate)
            .Set("fields.status.name", categoryName)
            .Set("fields.status.statusCategory.id", categoryId)
            .Set("fields.status.statusCategory.key", statusCategory)
            .Set("fields.status.statusCategory.name", categoryName)
            .Set("fields.parent", parent);
        extra?.Invoke(issue["fields"]!.AsObject());
        return issue;
    }

    /// <summary>The parent of a child issue as Jira embeds it: the recorded issue's id, key and self with its status and type.</summary>
    public static JsonObject Parent(string id, string key, string type)
    {
        var parent = Issue0().Set("id", id).Set("key", key).Set("self", "https://your-domain.atlassian.net/rest/api/3/issue/" + id);
        var fields = parent["fields"]!.AsObject();
        foreach (var name in fields.Select(f => f.Key).Where(n => n is not ("status" or "issuetype")).ToList())
        {
            fields.Remove(name);
        }

        parent.Remove("expand");
        return parent.Set("fields.issuetype.name", type);
    }

    /// <summary>A search page (the recorded envelope) with these issues; <paramref name="nextPageToken"/> null on the last page.</summary>
    public static string Page(string? nextPageToken, params JsonNode[] issues)
    {
        var page = VendorPages.Page(Vendor, "search.page1.json")
            .Set("issues", new JsonArray([.. issues.Select(i => i.DeepClone())]))
            .Set("isLast", nextPageToken is null);
        if (nextPageToken is null)
        {
            page.Remove("nextPageToken");
        }
        else
        {
            page.Set("nextPageToken", nextPageToken);
        }

        return page.ToJsonString();
    }

    private static JsonObject Issue0() => VendorPages.Item(Vendor, "search.page2.json", "issues", 0);
}
