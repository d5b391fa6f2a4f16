using Metrics.Core.Directory;
using Metrics.Sources.Common;

namespace Metrics.Sources.Directory;

/// <summary>Where the org directory comes from.</summary>
public enum DirectoryProvider
{
    /// <summary>Microsoft Graph <c>users/delta</c> with a client-credentials token.</summary>
    Graph,

    /// <summary>A CSV HR export on disk.</summary>
    Csv,

    /// <summary>No directory pull; only <see cref="DirectoryOptions.IdentityMapPath"/> is applied.</summary>
    None,
}

/// <summary>Which value is a person's key.</summary>
public enum PersonKeySource
{
    /// <summary>The lowercased primary e-mail (Graph <c>mail</c>, else <c>userPrincipalName</c>).</summary>
    Email,

    /// <summary>The employee number; e-mail and UPN become identity links to it.</summary>
    EmployeeId,
}

/// <summary>The org directory and identity mapping. Bound from <c>Sources:Directory</c>.</summary>
public sealed class DirectoryOptions : SourceOptions
{
    public const string SectionName = "Sources:Directory";

    public DirectoryOptions()
    {
        Interval = TimeSpan.FromHours(6);
    }

    // BaseUrl (Graph only) is https://graph.microsoft.com .

    /// <value>Default <see cref="DirectoryProvider.Graph"/>.</value>
    public DirectoryProvider Provider { get; set; } = DirectoryProvider.Graph;

    /// <summary>OAuth token endpoint, e.g. <c>https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token</c>.</summary>
    public Uri? TokenEndpoint { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Client secret of the app registration (needs <c>User.Read.All</c>). Never logged.</summary>
    [Secret]
    public string? ClientSecret { get; set; }

    /// <value>Default <c>https://graph.microsoft.com/.default</c>.</value>
    public string Scope { get; set; } = "https://graph.microsoft.com/.default";

    /// <summary>Path of the HR export (provider <see cref="DirectoryProvider.Csv"/>): header with <c>email,department</c> and
    /// optionally <c>employeeId,jobTitle,manager,level</c>; <c>manager</c> holds the manager's e-mail or employee id.</summary>
    public string? CsvPath { get; set; }

    /// <summary>Optional CSV <c>identity,person</c> linking source identities (e.g. <c>jira:&lt;accountId&gt;</c>) to person keys.</summary>
    public string? IdentityMapPath { get; set; }

    /// <value>Default <see cref="PersonKeySource.Email"/>.</value>
    public PersonKeySource PersonKey { get; set; } = PersonKeySource.Email;

    /// <summary>Rules from job title and reports to level, first match wins.</summary>
    public List<LevelRule> LevelRules { get; set; } = [];

    /// <summary>Whether a person with direct reports and no matching rule is a manager.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool DirectReportsMeansManager { get; set; } = true;

    /// <summary>The level when no rule matches.</summary>
    /// <value>Default <see cref="Level.Specialist"/>.</value>
    public Level DefaultLevel { get; set; } = Level.Specialist;

    /// <summary>Whether people missing from a full snapshot have their open record closed at the sync date.</summary>
    /// <value>Default <see langword="true"/>: the provider is the authority on who is in the org.</value>
    public bool CloseMissing { get; set; } = true;

    /// <summary>The org's IANA time zone for the sync date; defaults to <c>Kpi:TimeZone</c>, then UTC.</summary>
    public string? TimeZone { get; set; }
}

/// <summary>One level rule. Every condition that is set must hold.</summary>
public sealed class LevelRule
{
    public Level Level { get; set; }

    /// <summary>A case-insensitive regular expression on the job title.</summary>
    public string? TitlePattern { get; set; }

    /// <summary>A case-insensitive substring of the job title.</summary>
    public string? TitleContains { get; set; }

    /// <summary>Whether the person must (true) or must not (false) have direct reports.</summary>
    public bool? HasDirectReports { get; set; }

    /// <summary>Department the rule is limited to.</summary>
    public string? Department { get; set; }
}

public sealed class DirectoryOptionsValidator() : SourceOptionsValidator<DirectoryOptions>(DirectoryOptions.SectionName)
{
    protected override void ValidateEnabled(DirectoryOptions options, List<string> errors)
    {
        switch (options.Provider)
        {
            case DirectoryProvider.Graph:
                base.ValidateEnabled(options, errors);
                RequireUrl(options.TokenEndpoint, "TokenEndpoint", errors, options.AllowInsecureHttp);
                RequireText(options.ClientId, "ClientId", errors);
                RequireText(options.ClientSecret, "ClientSecret", errors);
                break;
            case DirectoryProvider.Csv:
                RequireText(options.CsvPath, "CsvPath", errors);
                break;
            default:
                if (string.IsNullOrWhiteSpace(options.IdentityMapPath))
                {
                    errors.Add($"{Section}:IdentityMapPath is required when {Section}:Provider is None.");
                }

                break;
        }

        for (var i = 0; i < options.LevelRules.Count; i++)
        {
            var rule = options.LevelRules[i];
            if (rule.TitlePattern is { } pattern)
            {
                try
                {
                    _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException)
                {
                    errors.Add($"{Section}:LevelRules:{i}:TitlePattern is not a valid regular expression.");
                }
            }

            if (rule.TitlePattern is null && rule.TitleContains is null && rule.HasDirectReports is null && rule.Department is null)
            {
                errors.Add($"{Section}:LevelRules:{i} sets no condition.");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.TimeZone) && !TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            errors.Add($"{Section}:TimeZone '{options.TimeZone}' is not a known IANA time zone.");
        }
    }
}
