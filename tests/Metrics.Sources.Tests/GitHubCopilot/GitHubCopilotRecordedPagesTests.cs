using System.Globalization;
using System.Text.Json;
using Metrics.Sources.GitHubCopilot;
using Metrics.Sources.Tests.Fakes;
using Metrics.Testing.Vendors;
using Microsoft.AspNetCore.Http;

namespace Metrics.Sources.Tests.GitHubCopilot;

/// <summary>
/// The GitHub Copilot seats connector against pages built from GitHub's REST API description (example
/// <c>copilot-seats-list</c>, schema <c>copilot-seat-details</c>, the <c>Link</c> header) in tests/vendor-pages/githubcopilot.
/// </summary>
public sealed class GitHubCopilotRecordedPagesTests
{
    private const string Vendor = "githubcopilot";
    private const string SeatsPath = "/orgs/octo-org/copilot/billing/seats";

    private static Dictionary<string, string?> Settings(Uri server) => new(SourceHost.FastResilience("Sources:GitHubCopilot"))
    {
        ["Sources:GitHubCopilot:Enabled"] = "true",
        ["Sources:GitHubCopilot:BaseUrl"] = server.ToString(),
        ["Sources:GitHubCopilot:Organization"] = "octo-org",
        ["Sources:GitHubCopilot:Token"] = "ghp-recorded-7f3a",
    };

    /// <summary>The two recorded pages, page 1 linking to page 2 the way GitHub does; <paramref name="before"/> may answer first.</summary>
    private static async Task<VendorHost> StartAsync(Func<HttpContext, int, Task?>? before = null)
    {
        VendorHost? server = null;
        var n = 0;
        server = await VendorHost.StartAsync((ctx, req) =>
        {
            if (before?.Invoke(ctx, Interlocked.Increment(ref n)) is { } answered)
            {
                return answered;
            }

            if (req.Query("page") == "2")
            {
                ctx.Response.Headers.Link = $"<{server!.BaseUri.AbsoluteUri.TrimEnd('/')}{SeatsPath}?per_page=100&page=1>; rel=\"prev\", <{server.BaseUri.AbsoluteUri.TrimEnd('/')}{SeatsPath}?per_page=100&page=1>; rel=\"first\"";
                return VendorPages.ServeAsync(ctx, Vendor, "seats.page2.json");
            }

            ctx.Response.Headers.Link = $"<{server!.BaseUri.AbsoluteUri.TrimEnd('/')}{SeatsPath}?per_page=100&page=2>; rel=\"next\", <{server.BaseUri.AbsoluteUri.TrimEnd('/')}{SeatsPath}?per_page=100&page=2>; rel=\"last\"";
            return VendorPages.ServeAsync(ctx, Vendor, "seats.page1.json");
        });
        return server;
    }

    [Fact]
    public async Task SyncAsync_RecordedSeatPages_FollowsTheLinkHeaderWithGitHubHeadersAndEventsMatchExpected()
    {
        await using var server = await StartAsync();
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var result = (await host.Sync.SyncAsync(GitHubCopilotMapper.SourceName, null, null, null, CancellationToken.None)).Sources[0];

        Assert.True(result.Succeeded, result.Error);
        var requests = server.RequestsTo(SeatsPath);
        Assert.Equal(["1", "2"], requests.Select(r => r.Query("page")));
        Assert.All(requests, r =>
        {
            Assert.Equal("2022-11-28", r.Headers["X-GitHub-Api-Version"]);
            Assert.Equal("application/vnd.github+json", r.Headers["Accept"]);
            Assert.Equal("Bearer ghp-recorded-7f3a", r.Headers["Authorization"]);
            Assert.StartsWith("metrics-worker", r.Headers["User-Agent"], StringComparison.Ordinal);
        });
        // monalisa's seat was never used (last_activity_at null): no event, counted as ignored.
        VendorPages.AssertEvents(Vendor, "expected.jsonl", host.Journal.Events);
        Assert.Equal(1, result.Ignored["seat never used"]);
        var octocat = JsonDocument.Parse(host.Journal.Events.Single(e => e.Person == "github:octocat").AttributesJson).RootElement;
        Assert.Equal("github-copilot", octocat.GetProperty("tool").GetString());
        Assert.Equal("vscode/1.77.3/copilot/1.86.82", octocat.GetProperty("editor").GetString());
        // Nobody is linked to a GitHub login yet: every seat's event is counted as unresolved.
        Assert.Equal(3, result.Unresolved);
    }

    [Fact]
    public async Task SyncAsync_SeatsReadAgain_SameActivityCountsOnceAndANewerOneAdds()
    {
        await using var server = await StartAsync();
        using var host = SourceHost.Create(Settings(server.BaseUri));
        await host.Sync.SyncAsync(GitHubCopilotMapper.SourceName, null, null, null, CancellationToken.None);

        host.Clock.Now = host.Clock.Now.AddHours(1);
        var again = (await host.Sync.SyncAsync(GitHubCopilotMapper.SourceName, null, null, null, CancellationToken.None)).Sources[0];

        Assert.True(again.Succeeded, again.Error);
        Assert.Equal(0, again.Inserted);
        Assert.Equal(3, host.Journal.Events.Count);
    }

    [Fact]
    public async Task SyncAsync_PrimaryRateLimit403WithReset_WaitsAndRetries()
    {
        var reset = SourceHost.DefaultNow.AddSeconds(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        await using var server = await StartAsync((ctx, n) =>
        {
            if (n != 1)
            {
                return null;
            }

            ctx.Response.Headers["x-ratelimit-limit"] = "5000";
            ctx.Response.Headers["x-ratelimit-remaining"] = "0";
            ctx.Response.Headers["x-ratelimit-reset"] = reset;
            return VendorPages.ServeAsync(ctx, Vendor, "rate-limited.json", 403);
        });
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var result = (await host.Sync.SyncAsync(GitHubCopilotMapper.SourceName, null, null, null, CancellationToken.None)).Sources[0];

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(3, server.RequestsTo(SeatsPath).Count);
        VendorPages.AssertEvents(Vendor, "expected.jsonl", host.Journal.Events);
    }

    [Fact]
    public async Task SyncAsync_SecondaryRateLimit429WithRetryAfter_WaitsAndRetries()
    {
        await using var server = await StartAsync((ctx, n) =>
        {
            if (n != 2)
            {
                return null;
            }

            ctx.Response.Headers.RetryAfter = "1";
            return VendorPages.ServeAsync(ctx, Vendor, "rate-limited.json", 429);
        });
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var result = (await host.Sync.SyncAsync(GitHubCopilotMapper.SourceName, null, null, null, CancellationToken.None)).Sources[0];

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(["1", "2", "2"], server.RequestsTo(SeatsPath).Select(r => r.Query("page")));
        VendorPages.AssertEvents(Vendor, "expected.jsonl", host.Journal.Events);
    }

    [Fact]
    public async Task SyncAsync_Forbidden403WithoutRateLimitHeaders_FailsAtOnceNamingTheStatus()
    {
        await using var server = await StartAsync((ctx, _) => VendorHost.WriteJsonAsync(ctx,
            """{"message":"Resource not accessible by personal access token","documentation_url":"https://docs.github.com/rest/copilot/copilot-user-management","status":"403"}""", 403));
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var result = (await host.Sync.SyncAsync(GitHubCopilotMapper.SourceName, null, null, null, CancellationToken.None)).Sources[0];

        Assert.False(result.Succeeded);
        Assert.Contains("HTTP 403", result.Error, StringComparison.Ordinal);
        Assert.Single(server.RequestsTo(SeatsPath));
    }

    [Fact]
    public async Task SyncAsync_EnterpriseSet_ReadsTheEnterpriseSeats()
    {
        await using var server = await StartAsync((ctx, _) => VendorPages.ServeAsync(ctx, Vendor, "seats.page2.json"));
        var settings = Settings(server.BaseUri);
        settings["Sources:GitHubCopilot:Organization"] = null;
        settings["Sources:GitHubCopilot:Enterprise"] = "octo-corp";
        using var host = SourceHost.Create(settings);

        var result = (await host.Sync.SyncAsync(GitHubCopilotMapper.SourceName, null, null, null, CancellationToken.None)).Sources[0];

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("/enterprises/octo-corp/copilot/billing/seats", server.Requests.Single().Path);
    }

    [Theory]
    [InlineData("<https://api.github.com/resource?page=2>; rel=\"next\", <https://api.github.com/resource?page=5>; rel=\"last\"", "https://api.github.com/resource?page=2")]
    [InlineData("<https://api.github.com/resource?page=1>; rel=\"prev\", <https://api.github.com/resource?page=1>; rel=\"first\"", null)]
    public void NextOf_LinkHeader_TheNextTarget(string link, string? next)
    {
        using var response = new HttpResponseMessage();
        response.Headers.TryAddWithoutValidation("Link", link);

        Assert.Equal(next, GitHubSeatsPage.NextOf(response.Headers));
    }
}
