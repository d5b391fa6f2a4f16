using Refit;

namespace Metrics.Sources.LowCode;

/// <summary>The n8n public API v1 (cursor paging: pass the previous <c>nextCursor</c>). Base address: <c>…/api/v1</c>.</summary>
public interface IN8nApi
{
    [Get("/workflows")]
    Task<IApiResponse<N8nPage>> GetWorkflowsAsync(
        [AliasAs("limit")] int limit,
        [AliasAs("cursor")] string? cursor,
        [AliasAs("excludePinnedData")] bool excludePinnedData,
        CancellationToken cancellationToken);

    /// <summary>Executions, newest first (id descending); running executions are not listed.</summary>
    [Get("/executions")]
    Task<IApiResponse<N8nPage>> GetExecutionsAsync(
        [AliasAs("limit")] int limit,
        [AliasAs("cursor")] string? cursor,
        [AliasAs("includeData")] bool includeData,
        CancellationToken cancellationToken);

    [Get("/projects/{projectId}/users")]
    Task<IApiResponse<N8nPage>> GetProjectUsersAsync(
        string projectId,
        [AliasAs("limit")] int limit,
        [AliasAs("cursor")] string? cursor,
        CancellationToken cancellationToken);
}
