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
