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

        Assert.Equal(["directory", "githubcopilot", "lms", "lowcode", "m365copilot", "ticketing"], host.Sync.SourceNames.Order(StringComparer.Ordinal));
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

    /// <summary>The start-up validation failures of <paramref name="settings"/>, one a line; empty when valid.</summary>
    internal static string Failures(Dictionary<string, string?> settings)
    {
        using var host = SourceHost.Create(settings);
        try
        {
            host.Provider.GetRequiredService<IStartupValidator>().Validate();
            return string.Empty;
        }
        catch (AggregateException ex)
        {
            return string.Join("\n", ex.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures));
        }
    }

    private static Dictionary<string, string?> Jira(string baseUrl) => new()
    {
        ["Sources:Ticketing:Enabled"] = "true",
        ["Sources:Ticketing:BaseUrl"] = baseUrl,
        ["Sources:Ticketing:Email"] = "bot@example.com",
        ["Sources:Ticketing:ApiToken"] = "tok",
        ["Sources:Ticketing:Jql"] = "project = AI",
        ["Sources:Ticketing:Project:IssueTypes:0"] = "Epic",
    };

    [Theory]
    [InlineData("http://jira.internal.example.com", null, true)]
    [InlineData("http://jira.internal.example.com", "true", false)]
    [InlineData("http://127.0.0.1:8080", null, false)]
    [InlineData("http://localhost:8080", null, false)]
    [InlineData("https://acme.atlassian.net", null, false)]
    public void Validate_PlainHttpUrl_RefusedUnlessLoopbackOrAllowedExplicitly(string url, string? allow, bool refused)
    {
        var settings = Jira(url);
        settings["Sources:Ticketing:AllowInsecureHttp"] = allow;

        var failures = Failures(settings);

        Assert.Equal(refused, failures.Contains("Sources:Ticketing:BaseUrl uses plain http", StringComparison.Ordinal));
        if (refused)
        {
            Assert.Contains("Sources:Ticketing:AllowInsecureHttp", failures, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Options_SecretFromFile_ReadWithoutTrailingLineBreak()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "ATATT-from-file\n");
            var settings = Jira("https://acme.atlassian.net");
            settings.Remove("Sources:Ticketing:ApiToken");
            settings["Sources:Ticketing:ApiToken_FILE"] = file;
            using var host = SourceHost.Create(settings);

            Assert.Equal("ATATT-from-file", host.Provider.GetRequiredService<IOptions<TicketingOptions>>().Value.ApiToken);
            Assert.Equal(string.Empty, Failures(settings));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Validate_SecretFileMissingOrDoubled_NamesTheFileKeyWithoutTheSecret()
    {
        var missing = Jira("https://acme.atlassian.net");
        missing.Remove("Sources:Ticketing:ApiToken");
        missing["Sources:Ticketing:ApiToken_FILE"] = Path.Combine(Path.GetTempPath(), "no-such-secret-" + Guid.NewGuid().ToString("N"));
        var doubled = Jira("https://acme.atlassian.net");
        doubled["Sources:Ticketing:ApiToken_FILE"] = missing["Sources:Ticketing:ApiToken_FILE"];

        var missingFailures = Failures(missing);
        var doubledFailures = Failures(doubled);

        Assert.Contains("Sources:Ticketing:ApiToken_FILE names a file that cannot be read", missingFailures, StringComparison.Ordinal);
        Assert.Contains("Sources:Ticketing:ApiToken and Sources:Ticketing:ApiToken_FILE are both set", doubledFailures, StringComparison.Ordinal);
        Assert.DoesNotContain("tok", doubledFailures.Replace("ApiToken", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
