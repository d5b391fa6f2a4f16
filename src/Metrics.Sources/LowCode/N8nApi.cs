using Refit;

namespace Metrics.Sources.LowCode;

/// <summary>
/// The n8n public API v1 (cursor paging: pass the previous <c>nextCursor</c>). Base address: <c>…/api/v1</c>. Booleans go
/// out as <c>true</c>/<c>false</c> (see <see cref="Common.SourceJson.CreateRefitSettings"/>): n8n validates every request
/// against its OpenAPI document and refuses <c>True</c>.
/// </summary>
public interface IN8nApi
{
    [Get("/workflows")]
    Task<IApiResponse<N8nPage>> GetWorkflowsAsync(
        [AliasAs("limit")] int limit,
        [AliasAs("cursor")] string? cursor,
        [AliasAs("excludePinnedData")] bool excludePinnedData,
        CancellationToken cancellationToken);

    /// <summary>Executions, newest first (id descending); queued ones have no <c>startedAt</c> yet.</summary>
    [Get("/executions")]
    Task<IApiResponse<N8nPage>> GetExecutionsAsync(
        [AliasAs("limit")] int limit,
        [AliasAs("cursor")] string? cursor,
        [AliasAs("includeData")] bool includeData,
        CancellationToken cancellationToken);

    /// <summary>Members of a project with their role. Missing from older public-API versions (404) and licensed on
    /// others (403): the connector then falls back to the workflow's <c>shared</c> data.</summary>
    [Get("/projects/{projectId}/users")]
    Task<IApiResponse<N8nPage>> GetProjectUsersAsync(
        string projectId,
        [AliasAs("limit")] int limit,
        [AliasAs("cursor")] string? cursor,
        CancellationToken cancellationToken);
}
