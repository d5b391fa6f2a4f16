using System.Globalization;
using System.Text.Json;
using Metrics.Core.Events;
using Metrics.Sources.Common;

namespace Metrics.Sources.M365Copilot;

/// <summary>
/// Turns report rows into <c>ai.used</c> events: one per person, app and last-activity date, with the id
/// <c>&lt;tool&gt;:&lt;date&gt;:&lt;person&gt;</c>, so reading the same report again (or the next day's, which still shows the
/// same date) replaces rather than adds. The report only keeps the latest date per app: activity on earlier days since
/// the previous read is not in it (see docs/sources.md).
/// </summary>
public static class M365CopilotMapper
{
    public const string SourceName = "m365copilot";

    /// <summary>The apps of the report and the <c>tool</c> each becomes.</summary>
    public static readonly IReadOnlyList<(string Tool, Func<M365CopilotUsageRow, string?> Date)> Apps =
    [
        ("chat", r => r.CopilotChatLastActivityDate),
        ("teams", r => r.MicrosoftTeamsCopilotLastActivityDate),
        ("word", r => r.WordCopilotLastActivityDate),
        ("excel", r => r.ExcelCopilotLastActivityDate),
        ("powerpoint", r => r.PowerPointCopilotLastActivityDate),
        ("outlook", r => r.OutlookCopilotLastActivityDate),
        ("onenote", r => r.OneNoteCopilotLastActivityDate),
        ("loop", r => r.LoopCopilotLastActivityDate),
    ];

    /// <summary>The instant an activity date becomes: noon UTC keeps the report's (UTC) date in every org zone from UTC-12 to UTC+11.</summary>
    public static DateTimeOffset TimeOf(DateOnly date) => new(date.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);

    /// <summary>
    /// Whether a user principal name is the opaque 32-hex-digit hash the report shows when the tenant conceals user names
    /// (<c>displayConcealedNames</c>, on by default).
    /// </summary>
    public static bool IsConcealed(string? userPrincipalName) =>
        userPrincipalName is { Length: 32 } upn && upn.All(char.IsAsciiHexDigit);

    /// <summary>What one row was.</summary>
    public enum RowKind
    {
        Mapped,
        Concealed,
        Bad,
    }

    /// <summary>
    /// Maps one raw row into the page: the apps whose date is on or after <paramref name="since"/> and not after
    /// <paramref name="until"/>. <paramref name="rowId"/> names the row in a bad-item report (never the user principal
    /// name: it identifies a person).
    /// </summary>
    public static RowKind Map(JsonElement raw, string rowId, DateOnly since, DateOnly until, PageBuilder page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var row = Paging.Item<M365CopilotUsageRow>(raw, page, "malformed report row");
        if (row is null)
        {
            return RowKind.Bad;
        }

        if (IsConcealed(row.UserPrincipalName))
        {
            return RowKind.Concealed;
        }

        if (Identities.Email(row.UserPrincipalName) is not { } person)
        {
            page.Bad(rowId, "row without a user principal name that is an e-mail");
            return RowKind.Bad;
        }

        foreach (var (tool, date) in Apps)
        {
            var text = date(row);
            if (text is null)
            {
                continue;
            }

            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                page.Bad(rowId, $"{tool} last activity date is not yyyy-MM-dd");
                continue;
            }

            if (day < since || day > until)
            {
                page.Ignore("activity date outside the lookback");
                continue;
            }

            page.Add(string.Create(CultureInfo.InvariantCulture, $"{tool}:{day:yyyy-MM-dd}:{person}"), EventType.AiUsed, TimeOf(day), person, null, tool: tool);
        }

        return RowKind.Mapped;
    }
}
