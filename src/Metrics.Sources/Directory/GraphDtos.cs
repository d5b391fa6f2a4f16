using System.Text.Json.Serialization;
using System.Text.Json;
using Metrics.Core.Ports;
using Metrics.Sources.Common;

namespace Metrics.Sources.Directory;

public sealed class TokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("token_type")]
    public string? TokenType { get; set; }

    /// <summary>Seconds the token is valid for (Entra: about an hour).</summary>
    [JsonPropertyName("expires_in")]
    public int? ExpiresIn { get; set; }
}

/// <summary>A Graph collection page; users stay raw so the delta merge can tell an absent property from a null one.</summary>
public sealed class GraphPage
{
    /// <summary>Link paging: <c>@odata.nextLink</c> until the last page, which carries <c>@odata.deltaLink</c> instead.</summary>
    public static PageShape<GraphPage> Shape(Uri origin) =>
        new("value", p => p.Value, (p, _) => string.IsNullOrEmpty(p.NextLink) ? null : GraphDirectory.CheckLink(p.NextLink, origin, "users delta"));

    public List<JsonElement>? Value { get; set; }

    [JsonPropertyName("@odata.nextLink")]
    public string? NextLink { get; set; }

    [JsonPropertyName("@odata.deltaLink")]
    public string? DeltaLink { get; set; }
}

/// <summary>What the connector keeps of a Graph user between delta rounds.</summary>
public sealed class GraphUserState
{
    public string? Mail { get; set; }

    public string? UserPrincipalName { get; set; }

    public string? Department { get; set; }

    public string? JobTitle { get; set; }

    public string? EmployeeId { get; set; }

    public string? ManagerId { get; set; }

    public bool AccountEnabled { get; set; } = true;
}

/// <summary>The durable delta state: the link for the next round and the merged users.</summary>
public sealed class GraphDirectoryState
{
    public string? DeltaLink { get; set; }

    public Dictionary<string, GraphUserState> Users { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>A Graph error body: <c>{"error":{"code":"…","message":"…"}}</c>.</summary>
public sealed class GraphErrorBody
{
    public GraphError? Error { get; set; }
}

public sealed class GraphError
{
    public string? Code { get; set; }

    public string? Message { get; set; }
}
