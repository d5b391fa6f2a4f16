using System.Text.Json.Nodes;

namespace Metrics.Testing.Vendors;

/// <summary>
/// Microsoft Graph users for scenario tests, each a copy of a recorded user of the users delta
/// (<c>vendor-pages/graph/users-delta.page2.json</c>, the documentation's sample tenant) with the scenario's values.
/// </summary>
public static class GraphPages
{
    public const string Vendor = "graph";

    /// <summary>The recorded user with a manager (<paramref name="managerId"/> null: without, as the recorded first page's user).</summary>
    public static JsonObject User(string id, string? mail, string upn, string? department, string? jobTitle, string? managerId, bool enabled = true, string? employeeId = null)
    {
        var user = VendorPages.Item(Vendor, "users-delta.page2.json", "value", 0)
            .Set("id", id)
            .Set("mail", mail)
            .Set("userPrincipalName", upn)
            .Set("department", department)
            .Set("jobTitle", jobTitle)
            .Set("employeeId", employeeId)
            .Set("accountEnabled", enabled);
        if (managerId is null)
        {
            user.Remove("manager");
        }
        else
        {
            user.Set("manager.id", managerId);
        }

        return user;
    }

    /// <summary>The token response of the identity platform (recorded) with this access token.</summary>
    public static string Token(string accessToken) =>
        VendorPages.Page(Vendor, "token.json").Set("access_token", accessToken).ToJsonString();

    /// <summary>
    /// A users delta page on <paramref name="origin"/> with these users: the recorded first page with its next link
    /// (<c>$skiptoken</c>), or, when <paramref name="skipToken"/> is null, the recorded last page with its delta link.
    /// </summary>
    public static string Page(Uri origin, string? skipToken, string deltaToken, params JsonNode[] users)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var value = new JsonArray([.. users.Select(u => u.DeepClone())]);
        return (skipToken is not null
            ? VendorPages.Page(Vendor, "users-delta.page1.json").Set("value", value).Set("@odata.nextLink", new Uri(origin, "/v1.0/users/delta?$skiptoken=" + skipToken).ToString())
            : VendorPages.Page(Vendor, "users-delta.page2.json").Set("value", value).Set("@odata.deltaLink", new Uri(origin, "/v1.0/users/delta?$deltatoken=" + deltaToken).ToString()))
            .ToJsonString();
    }

    /// <summary>An updated user of a later delta round: the recorded one's id with only the changed department.</summary>
    public static JsonObject Changed(string id, string department) =>
        VendorPages.Item(Vendor, "users-delta.round2.json", "value", 0).Set("id", id).Set("department", department);

    /// <summary>A user gone from the query's scope in a later delta round (<c>@removed</c>, reason <c>changed</c>).</summary>
    public static JsonObject Removed(string id) =>
        VendorPages.Item(Vendor, "users-delta.round2.json", "value", 1).Set("id", id);
}
