using Metrics.Sources.Common;
using Metrics.Sources.Directory;
using Metrics.Sources.Lms;
using Metrics.Sources.LowCode;
using Metrics.Sources.Tests.Fakes;
using Metrics.Sources.Ticketing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Metrics.Sources.Tests.DependencyInjection;

public sealed class AddMetricsSourcesTests
{
    [Fact]
    public void AddMetricsSources_NothingConfigured_BuildsAndRegistersEverySource()
    {
        using var host = SourceHost.Create([]);

        Assert.Equal(["directory", "lms", "lowcode", "ticketing"], host.Sync.SourceNames.Order(StringComparer.Ordinal));
        Assert.All(host.Sync.Schedules, s => Assert.False(s.Enabled));
        host.Provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public async Task SyncAsync_AllDisabled_DoesNothing()
    {
        using var host = SourceHost.Create([]);

        var report = await host.Sync.SyncAsync(null, null, null, null, CancellationToken.None);

        Assert.Empty(report.Sources);
    }

    [Fact]
    public async Task SyncAsync_UnknownSource_ThrowsNamingKnownSources()
    {
        using var host = SourceHost.Create([]);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => host.Sync.SyncAsync("crm", null, null, null, CancellationToken.None));

        Assert.Contains("lms", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EnabledSourcesMissingSettings_MessagesNameEachSettingWithoutSecrets()
    {
        using var host = SourceHost.Create(new()
        {
            ["Sources:Lms:Enabled"] = "true",
            ["Sources:Lms:Password"] = "hunter2",
            ["Sources:LowCode:Enabled"] = "true",
            ["Sources:LowCode:BaseUrl"] = "ftp://n8n.example.com",
            ["Sources:Ticketing:Enabled"] = "true",
            ["Sources:Ticketing:Jql"] = "project = AI ORDER BY created",
            ["Sources:Directory:Enabled"] = "true",
            ["Sources:Directory:LevelRules:0:Level"] = "manager",
            ["Sources:Directory:LevelRules:0:TitlePattern"] = "([unclosed",
            ["Sources:Lms:Resilience:AttemptTimeout"] = "00:05:00",
            ["Sources:Lms:Resilience:TotalTimeout"] = "00:01:00",
        });

        var ex = Assert.Throws<AggregateException>(() => host.Provider.GetRequiredService<IStartupValidator>().Validate());
        var messages = string.Join("\n", ex.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures));

        Assert.Contains("Sources:Lms:BaseUrl is required", messages, StringComparison.Ordinal);
        Assert.Contains("Sources:Lms:Username is required", messages, StringComparison.Ordinal);
        Assert.Contains("Sources:Lms:CourseActivityIds", messages, StringComparison.Ordinal);
        Assert.Contains("Sources:Lms:Resilience:AttemptTimeout", messages, StringComparison.Ordinal);
        Assert.Contains("Sources:LowCode:BaseUrl must be an absolute http(s) URL", messages, StringComparison.Ordinal);
        Assert.Contains("Sources:LowCode:ApiKey is required", messages, StringComparison.Ordinal);
        Assert.Contains("Sources:Ticketing:Jql must not contain ORDER BY", messages, StringComparison.Ordinal);
        Assert.Contains("Sources:Directory:TokenEndpoint is required", messages, StringComparison.Ordinal);
        Assert.Contains("Sources:Directory:LevelRules:0:TitlePattern", messages, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", messages, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OutOfRangeValue_NamesTheSetting()
    {
        var errors = new LmsOptionsValidator().Validate(null, new LmsOptions { PageSize = 0 }).Failures!;

        Assert.Contains(errors, e => e.StartsWith("Sources:Lms:PageSize", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("source-lms")]
    [InlineData("source-lowcode")]
    [InlineData("source-ticketing")]
    [InlineData("source-directory")]
    [InlineData("source-directory-token")]
    public void ResilienceOptions_Defaults_PassTheHandlersOwnValidator(string client)
    {
        using var host = SourceHost.Create([]);

        var options = host.Provider.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get(client + "-standard");

        Assert.Equal(TimeSpan.FromSeconds(30), options.AttemptTimeout.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(3), options.TotalRequestTimeout.Timeout);
        Assert.True(options.Retry.ShouldRetryAfterHeader);
        Assert.True(options.Retry.UseJitter);
        Assert.True(options.CircuitBreaker.SamplingDuration >= options.AttemptTimeout.Timeout * 2);
    }

    [Fact]
    public void Options_SourceSpecificDefaults_AreSensible()
    {
        Assert.Equal(TimeSpan.FromHours(6), new LowCodeOptions().Overlap);
        Assert.Equal(TimeSpan.FromHours(6), new DirectoryOptions().Interval);
        Assert.Contains("ai-assisted", new TicketingOptions().AiAssisted.Labels);
        Assert.False(new SourceResilienceOptions().MaxRetries is < 1);
    }
}
