using System.Globalization;
using System.Text.Json.Nodes;

namespace Metrics.Testing.Vendors;

/// <summary>
/// n8n public-API items for scenario tests, each a copy of a recorded one (<c>vendor-pages/n8n</c>, built on the
/// schemas and examples of n8n's OpenAPI document) with the scenario's values put in.
/// </summary>
public static class N8nPages
{
    public const string Vendor = "n8n";

    /// <summary>
    /// The recorded "Nightly export" workflow (owner share without the embedded project) with these nodes, each a copy of
    /// the recorded "AI Agent" node with another type.
    /// </summary>
    public static JsonObject Workflow(string id, string created, string updated, string projectId, params string[] nodeTypes)
    {
        var nodes = nodeTypes.Select((type, i) => (JsonNode)Node(i, type)).ToArray();
        return VendorPages.Item(Vendor, "workflows.json", "data", 2)
            .Set("id", id)
            .Set("name", "Workflow " + id)
            .Set("active", true)
            .Set("createdAt", created)
            .Set("updatedAt", updated)
            .Set("nodes", new JsonArray(nodes))
            .Set("shared", new JsonArray(VendorPages.Item(Vendor, "workflows.json", "data", 2)["shared"]![0]!.DeepClone().AsObject()
                .Set("workflowId", id)
                .Set("projectId", projectId)
                .Set("createdAt", created)
                .Set("updatedAt", created)));
    }

    /// <summary>A workflow node: the recorded "AI Agent" node with another type.</summary>
    public static JsonObject Node(int index, string type)
    {
        var i = index.ToString(CultureInfo.InvariantCulture);
        return VendorPages.Item(Vendor, "workflows.json", "data", 0)["nodes"]![1]!.DeepClone().AsObject()
            .Set("id", "0f5532f9-36ba-4bef-86c7-" + i.PadLeft(12, '0'))
            .Set("name", type[(type.LastIndexOf('.') + 1)..] + " " + i)
            .Set("type", type)
            .Set("position", new JsonArray(220 * index, 300));
    }

    /// <summary>The recorded finished webhook execution with these values (<paramref name="startedAt"/> null: still queued).</summary>
    public static JsonObject Execution(int id, string workflowId, string? startedAt, string status = "success", string mode = "trigger") =>
        VendorPages.Item(Vendor, "executions.page1.json", "data", 1)
            .Set("id", id)
            .Set("finished", status == "success")
            .Set("mode", mode)
            .Set("startedAt", startedAt)
            .Set("stoppedAt", startedAt)
            .Set("workflowId", workflowId)
            .Set("status", status);

    /// <summary>The recorded project member with another address and role.</summary>
    public static JsonObject Member(string email, string role) =>
        VendorPages.Item(Vendor, "project-users.json", "data", 0)
            .Set("id", Guid.NewGuid().ToString())
            .Set("email", email)
            .Set("role", role);

    /// <summary>A list page (the recorded envelope) with these items and cursor.</summary>
    public static string Page(string? nextCursor, params JsonNode[] items) =>
        VendorPages.Page(Vendor, "workflows.json")
            .Set("data", new JsonArray([.. items.Select(i => i.DeepClone())]))
            .Set("nextCursor", nextCursor)
            .ToJsonString();

    /// <summary>n8n's error body (the recorded <c>not-found.json</c>) with this message.</summary>
    public static string Error(string message) => VendorPages.Page(Vendor, "not-found.json").Set("message", message).ToJsonString();
}
