using Metrics.Sources.Tests.DependencyInjection;

namespace Metrics.Sources.Tests.M365Copilot;

public sealed class M365CopilotOptionsTests
{
    [Fact]
    public void Validate_EnabledWithoutAnyEntraApp_NamesBothItsOwnAndTheDirectorySettings()
    {
        var failures = AddMetricsSourcesTests.Failures(new() { ["Sources:M365Copilot:Enabled"] = "true", ["Sources:M365Copilot:BaseUrl"] = "https://graph.microsoft.com" });

        Assert.Contains("Sources:M365Copilot:ClientId (or Sources:Directory:ClientId) is required", failures, StringComparison.Ordinal);
        Assert.Contains("Sources:M365Copilot:ClientSecret (or Sources:Directory:ClientSecret) is required", failures, StringComparison.Ordinal);
        Assert.Contains("Sources:M365Copilot:TokenEndpoint (or Sources:Directory:TokenEndpoint", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DirectoryAppAndShortLookbackAndUnknownPeriod_OnlyTheseReported()
    {
        var failures = AddMetricsSourcesTests.Failures(new()
        {
            ["Sources:M365Copilot:Enabled"] = "true",
            ["Sources:M365Copilot:BaseUrl"] = "https://graph.microsoft.com",
            ["Sources:M365Copilot:Lookback"] = "2.00:00:00",
            ["Sources:M365Copilot:Period"] = "D14",
            ["Sources:Directory:TokenEndpoint"] = "https://login.microsoftonline.com/contoso/oauth2/v2.0/token",
            ["Sources:Directory:ClientId"] = "app",
            ["Sources:Directory:ClientSecret"] = "secret",
        });

        Assert.DoesNotContain("ClientId", failures, StringComparison.Ordinal);
        Assert.DoesNotContain("TokenEndpoint", failures, StringComparison.Ordinal);
        Assert.Contains("Sources:M365Copilot:Lookback must be between 3 and 180 days", failures, StringComparison.Ordinal);
        Assert.Contains("Sources:M365Copilot:Period must be one of D7, D30, D90, D180, ALL", failures, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_PollSeveralTimesADayWithAThreeDayPlusLookback()
    {
        var options = new Metrics.Sources.M365Copilot.M365CopilotOptions();

        Assert.Equal(TimeSpan.FromHours(6), options.Interval);
        Assert.True(options.Lookback >= TimeSpan.FromDays(3));
        Assert.Equal("D7", options.Period);
    }
}
