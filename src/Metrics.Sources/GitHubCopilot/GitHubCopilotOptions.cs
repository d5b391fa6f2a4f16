using System.Net.Http.Headers;
using Metrics.Sources.Common;

namespace Metrics.Sources.GitHubCopilot;

/// <summary>GitHub Copilot seats (GitHub REST). Bound from <c>Sources:GitHubCopilot</c>.</summary>
public sealed class GitHubCopilotOptions : SourceOptions
{
    public const string SectionName = "Sources:GitHubCopilot";

    public GitHubCopilotOptions()
    {
        // Seats report only the latest activity: activity between two polls collapses into one. Hourly polls see
        // every active day (the 1-day window needs at least daily) at one request per 100 seats, far below the limit.
        Interval = TimeSpan.FromHours(1);
        InitialLookback = TimeSpan.FromDays(28);
    }

    // BaseUrl is https://api.github.com (GitHub Enterprise Server: https://HOST/api/v3).

    /// <summary>The organization whose seats are read; or set <see cref="Enterprise"/>.</summary>
    public string? Organization { get; set; }

    /// <summary>The enterprise whose seats are read (all its organizations); instead of <see cref="Organization"/>.</summary>
    public string? Enterprise { get; set; }

    /// <summary>A token with <c>manage_billing:copilot</c> or <c>read:org</c> (classic), or the fine-grained "GitHub Copilot
    /// Business" organization permission (read). Never logged.</summary>
    [Secret]
    public string? Token { get; set; }

    /// <value>Default <c>2022-11-28</c>.</value>
    public string ApiVersion { get; set; } = "2022-11-28";

    /// <summary>How far back each pull takes last-activity instants (an instant can show up late).</summary>
    /// <value>Default 3 days.</value>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(3);

    /// <summary>The path of the first seats page.</summary>
    public string SeatsPath() => Enterprise is { Length: > 0 } enterprise
        ? $"/enterprises/{Uri.EscapeDataString(enterprise.Trim())}/copilot/billing/seats"
        : $"/orgs/{Uri.EscapeDataString((Organization ?? "").Trim())}/copilot/billing/seats";

    public override void ConfigureClient(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Accept.Clear();
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        client.DefaultRequestHeaders.Add("X-GitHub-Api-Version", ApiVersion);
        // GitHub refuses requests without a User-Agent.
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("metrics-worker", "1.0"));
        if (Token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }
    }
}

public sealed class GitHubCopilotOptionsValidator() : SourceOptionsValidator<GitHubCopilotOptions>(GitHubCopilotOptions.SectionName)
{
    protected override void ValidateEnabled(GitHubCopilotOptions options, List<string> errors)
    {
        base.ValidateEnabled(options, errors);
        RequireText(options.Token, "Token", errors);
        RequireText(options.ApiVersion, "ApiVersion", errors);
        if (string.IsNullOrWhiteSpace(options.Organization) == string.IsNullOrWhiteSpace(options.Enterprise))
        {
            errors.Add($"{Section}:Organization or {Section}:Enterprise must be set (one of them) when {Section}:Enabled is true.");
        }

        if (options.PageSize > 100)
        {
            errors.Add($"{Section}:PageSize must be at most 100 (GitHub caps per_page).");
        }

        if (options.Lookback < TimeSpan.FromDays(3) || options.Lookback > TimeSpan.FromDays(90))
        {
            errors.Add($"{Section}:Lookback must be between 3 and 90 days (was {options.Lookback}).");
        }

        if (options.Interval > TimeSpan.FromDays(1))
        {
            errors.Add($"{Section}:Interval must be at most one day: seats report only the latest activity, so a longer interval loses active days (was {options.Interval}).");
        }
    }
}
