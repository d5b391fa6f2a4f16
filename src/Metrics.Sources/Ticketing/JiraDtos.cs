using System.Text.Json.Serialization;
using System.Text.Json;
using Metrics.Core.Ports;
using Metrics.Sources.Common;

namespace Metrics.Sources.Ticketing;

/// <summary>A <c>/search/jql</c> page; issues stay raw so one malformed issue fails alone.</summary>
public sealed class JiraSearchResponse
{
    /// <summary>Token paging: <c>nextPageToken</c> until <c>isLast</c> (the token is absent or null on the last page).</summary>
    public static readonly PageShape<JiraSearchResponse> Shape = new("issues", r => r.Issues, (r, _) => r.IsLast == true ? null : r.NextPageToken);

    public List<JsonElement>? Issues { get; set; }

    public string? NextPageToken { get; set; }

    public bool? IsLast { get; set; }
}

public sealed class JiraIssue
{
    public string? Id { get; set; }

    public string? Key { get; set; }

    public JiraFields? Fields { get; set; }
}

public sealed class JiraFields
{
    [JsonPropertyName("issuetype")]
    public JiraNamed? IssueType { get; set; }

    public List<string>? Labels { get; set; }

    public JiraUser? Reporter { get; set; }

    public JiraUser? Assignee { get; set; }

    public DateTimeOffset? Created { get; set; }

    public DateTimeOffset? Updated { get; set; }

    [JsonPropertyName("resolutiondate")]
    public DateTimeOffset? ResolutionDate { get; set; }

    public JiraNamed? Resolution { get; set; }

    public JiraStatus? Status { get; set; }

    public JiraParent? Parent { get; set; }

    [JsonPropertyName("issuelinks")]
    public List<JiraIssueLink>? IssueLinks { get; set; }

    /// <summary>Custom fields and anything else asked for, read by rules.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Other { get; set; }
}

public sealed class JiraNamed
{
    public string? Id { get; set; }

    public string? Name { get; set; }
}

public sealed class JiraUser
{
    public string? AccountId { get; set; }

    public string? EmailAddress { get; set; }
}

public sealed class JiraStatus
{
    public string? Name { get; set; }

    /// <summary>An object (<c>{id, key, name, colorName}</c>) or, in the workflow APIs, a string: read by <see cref="JiraMapper.IsDone"/>.</summary>
    public JsonElement? StatusCategory { get; set; }
}

public sealed class JiraParent
{
    public string? Id { get; set; }

    public string? Key { get; set; }

    public JiraParentFields? Fields { get; set; }
}

public sealed class JiraParentFields
{
    [JsonPropertyName("issuetype")]
    public JiraNamed? IssueType { get; set; }
}

public sealed class JiraIssueLink
{
    public JiraLinkedIssue? InwardIssue { get; set; }

    public JiraLinkedIssue? OutwardIssue { get; set; }
}

public sealed class JiraLinkedIssue
{
    public string? Id { get; set; }

    public string? Key { get; set; }
}
