using Refit;

namespace Metrics.Sources.GitHubCopilot;

/// <summary>GitHub REST: Copilot user management. Base address: <c>https://api.github.com</c>.</summary>
public interface IGitHubCopilotApi
{
    /// <summary>
    /// Gets a page of <c>GET /orgs/{org}/copilot/billing/seats</c> (or <c>/enterprises/{enterprise}/…</c>) by its full URL:
    /// the first page's, then each <c>Link: &lt;…&gt;; rel="next"</c> verbatim.
    /// </summary>
    [Get("")]
    Task<IApiResponse<GitHubSeatsPage>> GetSeatsAsync([Url] string url, CancellationToken cancellationToken);
}
