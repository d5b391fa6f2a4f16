using System.Collections.Concurrent;
using Metrics.Core.Ports;
using Metrics.Sources.Directory;

namespace Metrics.Sources.Common;

/// <summary>
/// The one cache of Microsoft Entra client-credentials tokens for every connector that calls Microsoft Graph with the
/// same app (the directory and the Microsoft 365 Copilot usage report): a token is asked for once per app and scope and
/// reused until shortly before it expires, instead of once per connector and pull.
/// </summary>
public sealed class EntraTokenCache(TimeProvider clock) : IDisposable
{
    /// <summary>A token is renewed this long before it expires, so a page never goes out with one about to lapse.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<(string Endpoint, string ClientId, string Scope), (string Token, DateTimeOffset Expires)> _tokens = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>A valid access token for the app, from the cache or a new token request.</summary>
    public async Task<string> GetAsync(IGraphTokenApi api, Uri endpoint, string clientId, string clientSecret, string scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(endpoint);
        var key = (endpoint.AbsoluteUri, clientId, scope);
        if (Fresh(key) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(key) is { } raced)
            {
                return raced;
            }

            var form = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = clientSecret,
                ["scope"] = scope,
            };
            using var response = await ApiCalls.SendAsync(() => api.GetTokenAsync(endpoint.AbsoluteUri, form, cancellationToken), "token request", cancellationToken);
            var token = response.Content!.AccessToken;
            if (string.IsNullOrWhiteSpace(token))
            {
                throw new SourcePageException("token request failed: no access_token in the response");
            }

            // Without expires_in the token is used for this request only.
            var lifetime = response.Content.ExpiresIn is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
            _tokens[key] = (token, clock.GetUtcNow() + lifetime - Margin);
            return token;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Forgets every token (a 401 with a cached token means it was revoked).</summary>
    public void Clear() => _tokens.Clear();

    private string? Fresh((string, string, string) key) =>
        _tokens.TryGetValue(key, out var entry) && entry.Expires > clock.GetUtcNow() ? entry.Token : null;
}
