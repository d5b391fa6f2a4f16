using System.Text.Json.Nodes;

namespace Metrics.Sources.Tests.LowCode;

/// <summary>Responses in the shape of the n8n public API v1.</summary>
public static class N8nPayloads
{
    public static JsonObject Workflow(string id, string created, string updated, string projectId, params string[] nodeTypes) => new()
    {
        ["id"] = id,
        ["name"] = "Workflow " + id,
        ["active"] = true,
        ["isArchived"] = false,
        ["createdAt"] = created,
        ["updatedAt"] = updated,
        ["versionId"] = "7c9f0f3e-2f8b-4b51-9d77-" + id.PadLeft(12, '0'),
        ["nodes"] = new JsonArray(nodeTypes.Select((t, i) => (JsonNode)new JsonObject
        {
            ["id"] = "node-" + i,
            ["name"] = "Node " + i,
            ["type"] = t,
            ["typeVersion"] = 1,
            ["position"] = new JsonArray(100 * i, 200),
            ["parameters"] = new JsonObject(),
        }).ToArray()),
        ["connections"] = new JsonObject(),
        ["settings"] = new JsonObject { ["executionOrder"] = "v1", ["timeSavedPerExecution"] = 5 },
        ["tags"] = new JsonArray(new JsonObject { ["id"] = "t1", ["name"] = "ai" }),
        ["shared"] = new JsonArray(new JsonObject
        {
            ["role"] = "workflow:owner",
            ["workflowId"] = id,
            ["projectId"] = projectId,
            ["createdAt"] = created,
            ["updatedAt"] = created,
        }),
    };

    public static JsonObject Execution(int id, string workflowId, string startedAt, string status = "success") => new()
    {
        ["id"] = id,
        ["finished"] = status == "success",
        ["mode"] = "trigger",
        ["retryOf"] = null,
        ["retrySuccessId"] = null,
        ["startedAt"] = startedAt,
        ["stoppedAt"] = startedAt,
        ["workflowId"] = workflowId,
        ["waitTill"] = null,
        ["status"] = status,
    };

    public static JsonObject Member(string email, string role) => new()
    {
        ["id"] = Guid.NewGuid().ToString(),
        ["email"] = email,
        ["firstName"] = "First",
        ["lastName"] = "Last",
        ["createdAt"] = "2025-01-01T00:00:00.000Z",
        ["updatedAt"] = "2025-01-01T00:00:00.000Z",
        ["role"] = role,
    };

    public static string Page(string? nextCursor, params JsonNode[] items) =>
        new JsonObject { ["data"] = new JsonArray(items), ["nextCursor"] = nextCursor }.ToJsonString();
}
