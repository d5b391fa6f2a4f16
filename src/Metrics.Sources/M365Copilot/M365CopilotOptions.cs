using Metrics.Sources.Common;
using Metrics.Sources.Directory;

namespace Metrics.Sources.M365Copilot;

/// <summary>Microsoft 365 Copilot usage report (Microsoft Graph). Bound from <c>Sources:M365Copilot</c>.</summary>
public sealed class M365CopilotOptions : SourceOptions
{
    public const string SectionName = "Sources:M365Copilot";

    /// <summary>The report periods Graph accepts.</summary>
    public static readonly IReadOnlyList<string> Periods = ["D7", "D30", "D90", "D180", "ALL"];

    public M365CopilotOptions()
    {
        // The report is refreshed once a day; a few polls a day see each refresh soon without wasting calls.
        Interval = TimeSpan.FromHours(6);
    }

    // BaseUrl is https://graph.microsoft.com .

    /// <summary>The report's path under the base URL; the newer home is <c>/beta/copilot/reports/getMicrosoft365CopilotUsageUserDetail</c>.</summary>
    public string ReportPath { get; set; } = "/beta/reports/getMicrosoft365CopilotUsageUserDetail";

    /// <summary>The report period asked for.</summary>
    /// <value>Default <c>D7</c>: it covers the lookback.</value>
    public string Period { get; set; } = "D7";

    /// <summary>How far back each pull takes activity dates: the report shows a day up to 72 hours after it ended.</summary>
    /// <value>Default 7 days; at least 3.</value>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(7);

    /// <summary>OAuth token endpoint; default: the directory's (<c>Sources:Directory:TokenEndpoint</c>), the same Entra app.</summary>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>Default: <c>Sources:Directory:ClientId</c>. The app needs the application permission <c>Reports.Read.All</c>.</summary>
    public string? ClientId { get; set; }

    /// <summary>Default: <c>Sources:Directory:ClientSecret</c>. Never logged.</summary>
    [Secret]
    public string? ClientSecret { get; set; }

    /// <value>Default <c>https://graph.microsoft.com/.default</c>.</value>
    public string Scope { get; set; } = "https://graph.microsoft.com/.default";

    /// <summary>The Entra app of this source: its own settings where given, else the directory connector's.</summary>
    public (Uri? TokenEndpoint, string? ClientId, string? ClientSecret) App(DirectoryOptions directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return (TokenEndpoint ?? directory.TokenEndpoint, ClientId ?? directory.ClientId, ClientSecret ?? directory.ClientSecret);
    }
}

public sealed class M365CopilotOptionsValidator(Microsoft.Extensions.Options.IOptions<DirectoryOptions> directory)
    : SourceOptionsValidator<M365CopilotOptions>(M365CopilotOptions.SectionName)
{
    protected override void ValidateEnabled(M365CopilotOptions options, List<string> errors)
    {
        base.ValidateEnabled(options, errors);
        if (!M365CopilotOptions.Periods.Contains(options.Period, StringComparer.Ordinal))
        {
            errors.Add($"{Section}:Period must be one of {string.Join(", ", M365CopilotOptions.Periods)} (was '{options.Period}').");
        }

        if (options.Lookback < TimeSpan.FromDays(3) || options.Lookback > TimeSpan.FromDays(180))
        {
            errors.Add($"{Section}:Lookback must be between 3 and 180 days: the report shows a day up to 72 hours late (was {options.Lookback}).");
        }

        if (string.IsNullOrWhiteSpace(options.ReportPath) || !options.ReportPath.StartsWith('/'))
        {
            errors.Add($"{Section}:ReportPath must be a path starting with '/'.");
        }

        var (endpoint, clientId, secret) = options.App(directory.Value);
        if (endpoint is null)
        {
            errors.Add($"{Section}:TokenEndpoint (or Sources:Directory:TokenEndpoint, the same Entra app) is required when {Section}:Enabled is true.");
        }
        else
        {
            RequireUrl(endpoint, "TokenEndpoint", errors, options.AllowInsecureHttp);
        }

        if (string.IsNullOrWhiteSpace(clientId))
        {
            errors.Add($"{Section}:ClientId (or Sources:Directory:ClientId) is required when {Section}:Enabled is true.");
        }

        if (string.IsNullOrWhiteSpace(secret))
        {
            errors.Add($"{Section}:ClientSecret (or Sources:Directory:ClientSecret) is required when {Section}:Enabled is true.");
        }
    }
}
