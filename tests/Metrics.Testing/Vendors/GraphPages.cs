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
}
