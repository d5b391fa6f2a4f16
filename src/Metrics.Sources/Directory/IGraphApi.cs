using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace Metrics.Sources.Directory;

/// <summary>Microsoft Graph users delta query. Base address: <c>https://graph.microsoft.com</c>.</summary>
public interface IGraphApi
{
    /// <summary>
    /// Gets a users delta page by its full URL: the first round's <c>/v1.0/users/delta?$select=…</c>, then each
    /// <c>@odata.nextLink</c> or <c>@odata.deltaLink</c> verbatim. The first URL is written by hand rather than through
    /// query parameters because Refit would percent-encode the <c>$</c> of the OData option names.
    /// </summary>
    [Get("")]
    Task<IApiResponse<GraphPage>> GetUsersAsync([Url] string url, [Header("Authorization")] string authorization, CancellationToken cancellationToken);
}

/// <summary>The OAuth 2.0 token endpoint (client-credentials grant).</summary>
public interface IGraphTokenApi
{
    [Post("")]
    Task<IApiResponse<TokenResponse>> GetTokenAsync(
        [Url] string tokenEndpoint,
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form,
        CancellationToken cancellationToken);
}

public sealed class TokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("token_type")]
    public string? TokenType { get; set; }
}

/// <summary>A Graph collection page; users stay raw so the delta merge can tell an absent property from a null one.</summary>
public sealed class GraphPage
{
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
