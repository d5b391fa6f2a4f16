using System.Text.Json;
using System.Text.Json.Serialization;
using Metrics.Sources.Common;

namespace Metrics.Sources.M365Copilot;

/// <summary>A page of the Copilot usage report in JSON; rows stay raw so one malformed row fails alone.</summary>
public sealed class M365CopilotPage
{
    /// <summary>Link paging: <c>@odata.nextLink</c> until the last page.</summary>
    public static readonly PageShape<M365CopilotPage> Shape = new("value", p => p.Value, (p, _) => p.NextLink);

    [JsonPropertyName("value")]
    public List<JsonElement>? Value { get; set; }

    [JsonPropertyName("@odata.nextLink")]
    public string? NextLink { get; set; }
}

/// <summary>
/// One user's row: the last activity date (<c>yyyy-MM-dd</c>, UTC, null when never) per Copilot app. The report is beta:
/// properties it adds later are ignored.
/// </summary>
public sealed class M365CopilotUsageRow
{
    public string? ReportRefreshDate { get; set; }

    public string? UserPrincipalName { get; set; }

    public string? LastActivityDate { get; set; }

    public string? CopilotChatLastActivityDate { get; set; }

    public string? MicrosoftTeamsCopilotLastActivityDate { get; set; }

    public string? WordCopilotLastActivityDate { get; set; }

    public string? ExcelCopilotLastActivityDate { get; set; }

    public string? PowerPointCopilotLastActivityDate { get; set; }

    public string? OutlookCopilotLastActivityDate { get; set; }

    public string? OneNoteCopilotLastActivityDate { get; set; }

    public string? LoopCopilotLastActivityDate { get; set; }
}
