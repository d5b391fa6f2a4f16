using Metrics.Sources.GitHubCopilot;
using Metrics.Sources.Tests.DependencyInjection;

namespace Metrics.Sources.Tests.GitHubCopilot;

public sealed class GitHubCopilotOptionsTests
{
    [Fact]
    public void Validate_EnabledWithoutTokenOrOrganization_NamesTheSettings()
    {
        var failures = AddMetricsSourcesTests.Failures(new() { ["Sources:GitHubCopilot:Enabled"] = "true", ["Sources:GitHubCopilot:BaseUrl"] = "https://api.github.com" });

        Assert.Contains("Sources:GitHubCopilot:Token is required", failures, StringComparison.Ordinal);
        Assert.Contains("Sources:GitHubCopilot:Organization or Sources:GitHubCopilot:Enterprise must be set", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_IntervalOverADay_RefusedBecauseItLosesActiveDays()
    {
        var failures = AddMetricsSourcesTests.Failures(new()
        {
            ["Sources:GitHubCopilot:Enabled"] = "true",
            ["Sources:GitHubCopilot:BaseUrl"] = "https://api.github.com",
            ["Sources:GitHubCopilot:Organization"] = "octo-org",
            ["Sources:GitHubCopilot:Token"] = "t",
            ["Sources:GitHubCopilot:Interval"] = "2.00:00:00",
        });

        Assert.Contains("Sources:GitHubCopilot:Interval must be at most one day", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_HourlyPollsWithAThreeDayLookback()
    {
        var options = new GitHubCopilotOptions();

        Assert.Equal(TimeSpan.FromHours(1), options.Interval);
        Assert.Equal(TimeSpan.FromDays(3), options.Lookback);
        Assert.Equal("2022-11-28", options.ApiVersion);
    }
}
