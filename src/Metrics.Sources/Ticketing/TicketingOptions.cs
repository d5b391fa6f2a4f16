using Metrics.Sources.Common;

namespace Metrics.Sources.Ticketing;

/// <summary>Jira Cloud REST v3. Bound from <c>Sources:Ticketing</c>.</summary>
public sealed class TicketingOptions : SourceOptions
{
    public const string SectionName = "Sources:Ticketing";

    // BaseUrl: https://{site}.atlassian.net, or https://api.atlassian.com/ex/jira/{cloudId} for scoped tokens.

    /// <summary>Account e-mail of the API token.</summary>
    public string? Email { get; set; }

    /// <summary>API token. Never logged. Tokens expire (1 to 365 days): plan rotation.</summary>
    [Secret]
    public string? ApiToken { get; set; }

    /// <summary>The restriction every search starts from, e.g. <c>project in (AI, OPS)</c>; the connector adds the
    /// <c>updated</c> bounds and the ordering.</summary>
    public string? Jql { get; set; }

    /// <summary>Fields asked for besides the standard ones the rules need (custom fields used by rules are added automatically).</summary>
    public List<string> ExtraFields { get; set; } = [];

    /// <summary>How far behind now the upper bound stays: the search index shows fresh writes late.</summary>
    /// <value>Default 2 minutes.</value>
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Issues that are proposals: <c>proposal.submitted</c> at creation, <c>proposal.adopted</c> when adopted.</summary>
    public IssueMatch Proposal { get; set; } = new();

    /// <summary>Resolutions that mean a done proposal was adopted.</summary>
    public List<string> AdoptedResolutions { get; set; } = ["Done", "Adopted", "Implemented", "Fixed"];

    /// <summary>Issues that record decisions: <c>decision.recorded</c> when resolved.</summary>
    public IssueMatch Decision { get; set; } = new();

    /// <summary>Issues that are projects (e.g. epics): started at creation, completed or failed when done.</summary>
    public IssueMatch Project { get; set; } = new();

    /// <summary>Resolutions of a done project that mean it failed.</summary>
    public List<string> FailedResolutions { get; set; } = ["Won't Do", "Failed", "Cancelled", "Abandoned"];

    /// <summary>Labels of a done project that mean it failed.</summary>
    public List<string> FailedLabels { get; set; } = ["failed"];

    /// <summary>Issues that are project retrospectives; their project is their parent, else their first linked issue.</summary>
    public IssueMatch Retrospective { get; set; } = new();

    /// <summary>What marks an item as handled with AI: <c>aiAssisted</c> on decisions and <c>ai.used</c> for any matching issue.</summary>
    public IssueMatch AiAssisted { get; set; } = new() { Labels = ["ai-assisted"] };

    /// <summary>Whether AI-assisted issues also produce <c>ai.used</c> for their assignee (else reporter).</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool EmitAiUsed { get; set; } = true;

    /// <summary>HTTP Basic with the account e-mail and API token.</summary>
    public override void ConfigureClient(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (Email is not null && ApiToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = SourceHttp.Basic(Email, ApiToken);
        }
    }
}

/// <summary>
/// A configurable issue rule. Every criterion that is set must hold: issue type in <see cref="IssueTypes"/>, any label
/// in <see cref="Labels"/>, and <see cref="Field"/> having one of <see cref="FieldValues"/> (or any non-empty value when
/// none are listed). A rule with no criterion matches nothing.
/// </summary>
public sealed class IssueMatch
{
    public List<string> IssueTypes { get; set; } = [];

    public List<string> Labels { get; set; } = [];

    /// <summary>A field id such as <c>customfield_10050</c>.</summary>
    public string? Field { get; set; }

    public List<string> FieldValues { get; set; } = [];

    public bool IsSet => IssueTypes.Count > 0 || Labels.Count > 0 || !string.IsNullOrWhiteSpace(Field);
}

public sealed class TicketingOptionsValidator() : SourceOptionsValidator<TicketingOptions>(TicketingOptions.SectionName)
{
    protected override void ValidateEnabled(TicketingOptions options, List<string> errors)
    {
        base.ValidateEnabled(options, errors);
        RequireText(options.Email, "Email", errors);
        RequireText(options.ApiToken, "ApiToken", errors);
        RequireText(options.Jql, "Jql", errors);
        if (options.Jql is { } jql && jql.Contains("order by", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{Section}:Jql must not contain ORDER BY: the connector orders by updated itself.");
        }

        if (!options.Proposal.IsSet && !options.Decision.IsSet && !options.Project.IsSet && !options.AiAssisted.IsSet)
        {
            errors.Add($"{Section}:Proposal, {Section}:Decision, {Section}:Project or {Section}:AiAssisted must set at least one rule.");
        }

        if (options.PageSize > 100)
        {
            errors.Add($"{Section}:PageSize must be at most 100 when fields are requested (Jira caps it).");
        }
    }
}
