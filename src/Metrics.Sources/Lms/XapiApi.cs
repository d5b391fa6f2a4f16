using Refit;

namespace Metrics.Sources.Lms;

/// <summary>The xAPI Statements resource (xAPI 1.0.3 Communication §2.1.3). Base address: the xAPI endpoint.</summary>
public interface IXapiApi
{
    /// <summary>Statements stored in (since, until], oldest stored first. Times are sent as UTC ISO 8601 with milliseconds.</summary>
    [Get("/statements")]
    Task<IApiResponse<XapiStatementResult>> GetStatementsAsync(
        [AliasAs("since")] string? since,
        [AliasAs("until")] string? until,
        [AliasAs("limit")] int limit,
        [AliasAs("ascending")] string ascending,
        [AliasAs("format")] string format,
        CancellationToken cancellationToken);

    /// <summary>Follows a <c>more</c> link already resolved against the LRS origin; opaque, so sent verbatim.</summary>
    [Get("")]
    Task<IApiResponse<XapiStatementResult>> GetMoreAsync([Url] string more, CancellationToken cancellationToken);
}
