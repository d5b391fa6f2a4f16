using Refit;

namespace Metrics.Sources.Ticketing;

/// <summary>Jira Cloud REST v3 issue search (the <c>/search/jql</c> endpoint that replaced <c>/search</c>).</summary>
public interface IJiraApi
{
    /// <summary>One page of a bounded JQL search; <paramref name="fields"/> must list every field needed (the default is id only).</summary>
    [Get("/rest/api/3/search/jql")]
    Task<IApiResponse<JiraSearchResponse>> SearchAsync(
        [AliasAs("jql")] string jql,
        [AliasAs("nextPageToken")] string? nextPageToken,
        [AliasAs("maxResults")] int maxResults,
        [AliasAs("fields")] string fields,
        CancellationToken cancellationToken);
}
