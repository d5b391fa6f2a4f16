using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Metrics.Sources.Common;

namespace Metrics.Sources.GitHubCopilot;

/// <summary>A seats page; seats stay raw so one malformed seat fails alone.</summary>
public sealed partial class GitHubSeatsPage
{
    /// <summary>Link-header paging: the next page is the response's <c>rel="next"</c> link, copied in by the source.</summary>
    public static readonly PageShape<GitHubSeatsPage> Shape = new("seats", p => p.Seats, (p, _) => p.NextLink);

    [JsonPropertyName("total_seats")]
    public int? TotalSeats { get; set; }

    [JsonPropertyName("seats")]
    public List<JsonElement>? Seats { get; set; }

    /// <summary>Not in the body: the <c>rel="next"</c> target of the response's <c>Link</c> header.</summary>
    [JsonIgnore]
    public string? NextLink { get; set; }

    /// <summary>The <c>rel="next"</c> URL of a <c>Link</c> header (<c>&lt;url&gt;; rel="next", &lt;url&gt;; rel="last"</c>), or null.</summary>
    public static string? NextOf(HttpResponseHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (!headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            foreach (Match m in LinkPart().Matches(value))
            {
                if (m.Groups["rel"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("next", StringComparer.OrdinalIgnoreCase))
                {
                    return m.Groups["url"].Value;
                }
            }
        }

        return null;
    }

    [GeneratedRegex("<(?<url>[^>]+)>\\s*;\\s*rel=\"(?<rel>[^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex LinkPart();
}

/// <summary>One seat (schema <c>copilot-seat-details</c>, public preview: properties it adds later are ignored).</summary>
public sealed class GitHubSeat
{
    [JsonPropertyName("assignee")]
    public GitHubAssignee? Assignee { get; set; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>The latest Copilot activity; null when the seat was never used (or the IDE sends no telemetry).</summary>
    [JsonPropertyName("last_activity_at")]
    public DateTimeOffset? LastActivityAt { get; set; }

    /// <summary>E.g. <c>vscode/1.77.3/copilot/1.86.82</c>.</summary>
    [JsonPropertyName("last_activity_editor")]
    public string? LastActivityEditor { get; set; }
}

/// <summary>A user, or a team or organization (seats can be assigned to those too).</summary>
public sealed class GitHubAssignee
{
    [JsonPropertyName("login")]
    public string? Login { get; set; }

    [JsonPropertyName("id")]
    public long? Id { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }
}
