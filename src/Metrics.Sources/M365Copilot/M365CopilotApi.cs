using Refit;

namespace Metrics.Sources.M365Copilot;

/// <summary>Microsoft Graph usage reports. Base address: <c>https://graph.microsoft.com</c>.</summary>
public interface IM365CopilotApi
{
    /// <summary>
    /// Gets a page of <c>getMicrosoft365CopilotUsageUserDetail</c> by its full URL: the first page's
    /// <c>/beta/reports/getMicrosoft365CopilotUsageUserDetail(period='D7')?$format=application/json</c>, then each
    /// <c>@odata.nextLink</c> verbatim (written by hand: Refit would percent-encode the <c>$</c> and the quotes).
    /// </summary>
    [Get("")]
    Task<IApiResponse<M365CopilotPage>> GetUsageAsync([Url] string url, [Header("Authorization")] string authorization, CancellationToken cancellationToken);
}
