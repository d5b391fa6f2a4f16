using System.Text.Json;
using Metrics.Core.Events;
using Metrics.Sources.Common;

namespace Metrics.Sources.GitHubCopilot;

/// <summary>
/// Turns each seat's latest activity into one <c>ai.used</c> (<c>tool</c> <c>github-copilot</c>, the editor as
/// <c>editor</c>) with the id <c>&lt;login&gt;:&lt;instant&gt;</c>: the same activity read again replaces itself, a newer one adds
/// an event. The person is <c>github:&lt;login&gt;</c>, linked to a directory person through the identity map.
/// </summary>
public static class GitHubCopilotMapper
{
    public const string SourceName = "githubcopilot";
    public const string Tool = "github-copilot";

    public static void Map(JsonElement raw, DateTimeOffset since, DateTimeOffset until, PageBuilder page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var seat = Paging.Item<GitHubSeat>(raw, page, "malformed seat");
        if (seat is null)
        {
            return;
        }

        var assignee = seat.Assignee;
        if (assignee?.Type is { } type && !string.Equals(type, "User", StringComparison.OrdinalIgnoreCase))
        {
            page.Ignore("seat assigned to a team or organization");
            return;
        }

        if (Identities.GitHub(assignee?.Login) is not { } person)
        {
            page.Bad(assignee?.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?", "seat without an assignee login");
            return;
        }

        if (seat.LastActivityAt is not { } at)
        {
            page.Ignore("seat never used");
            return;
        }

        if (at < since || at > until)
        {
            page.Ignore("last activity outside the lookback");
            return;
        }

        var login = person["github:".Length..];
        page.Add(login + ":" + Checkpoints.Format(at), EventType.AiUsed, at, person, null, tool: Tool,
            extra: [new("editor", string.IsNullOrWhiteSpace(seat.LastActivityEditor) ? null : seat.LastActivityEditor.Trim())]);
    }
}
