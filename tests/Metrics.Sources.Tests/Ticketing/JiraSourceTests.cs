using System.Globalization;
using Metrics.Core.Events;
using Metrics.Sources.Tests.Fakes;
using Metrics.Sources.Ticketing;
using Metrics.Testing.Vendors;
using static Metrics.Testing.Vendors.JiraPages;

namespace Metrics.Sources.Tests.Ticketing;

public sealed class JiraSourceTests
{
    private static Dictionary<string, string?> Settings(Uri server, Action<Dictionary<string, string?>>? extra = null)
    {
        var s = SourceHost.FastResilience("Sources:Ticketing");
        s["Sources:Ticketing:Enabled"] = "true";
        s["Sources:Ticketing:BaseUrl"] = server.ToString();
        s["Sources:Ticketing:Email"] = "bot@example.com";
        s["Sources:Ticketing:ApiToken"] = "tok";
        s["Sources:Ticketing:Jql"] = "project = AI";
        s["Sources:Ticketing:Overlap"] = "00:10:00";
        s["Sources:Ticketing:PageSize"] = "2";
        s["Sources:Ticketing:Proposal:IssueTypes:0"] = "Idea";
        s["Sources:Ticketing:Decision:IssueTypes:0"] = "Decision";
        s["Sources:Ticketing:Project:IssueTypes:0"] = "Epic";
        s["Sources:Ticketing:AiAssisted:Labels:0"] = "ai-assisted";
        extra?.Invoke(s);
        return s;
    }

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public async Task SyncAsync_TokenPaging_ReadsToTheEndWithEpochBoundsAndParsesColonlessOffsets()
    {
        await using var server = await VendorHost.StartAsync((ctx, req) => req.Query("nextPageToken") switch
        {
            null => VendorHost.WriteJsonAsync(ctx, Page("CAEaAggD",
                Issue("10001", "AI-1", "Idea", "2026-03-02T09:00:00.000+0100", "2026-03-02T09:00:00.000+0100"),
                Issue("10002", "AI-2", "Idea", "2026-03-03T10:00:00.000+0000", "2026-03-04T11:30:00.000+0000",
                    resolution: "Done", resolutionDate: "2026-03-04T11:30:00.000+0000", statusCategory: "done"))),
            "CAEaAggD" => VendorHost.WriteJsonAsync(ctx, Page(null,
                Issue("10003", "AI-3", "Decision", "2026-03-05T08:00:00.000-0500", "2026-03-05T09:00:00.000-0500",
                    labels: ["ai-assisted"], assignee: User("712020:4b8d1d6f-0000-4c5a-9e0b-1a2b3c4d5e6f"),
                    resolution: "Done", resolutionDate: "2026-03-05T09:00:00.000-0500", statusCategory: "done"))),
            _ => VendorHost.WriteJsonAsync(ctx, "{}", 400),
        });
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var report = await host.Sync.SyncAsync("ticketing", null, null, null, CancellationToken.None);

        var result = Assert.Single(report.Sources);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2, result.Pages);
        var requests = server.Requests.ToArray();
        Assert.Equal("/rest/api/3/search/jql", requests[0].Path);
        var from = new DateTimeOffset(2026, 2, 8, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var to = new DateTimeOffset(2026, 3, 10, 11, 58, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.Equal($"(project = AI) AND updated >= {from} AND updated <= {to} ORDER BY updated ASC, id ASC", requests[0].Query("jql"));
        Assert.Equal("2", requests[0].Query("maxResults"));
        Assert.Contains("resolutiondate", requests[0].Query("fields")!.Split(','));
        Assert.Null(requests[0].Query("nextPageToken"));
        Assert.Equal("CAEaAggD", requests[1].Query("nextPageToken"));
        Assert.All(requests, r => Assert.Equal("Basic Ym90QGV4YW1wbGUuY29tOnRvaw==", r.Headers["Authorization"]));

        var events = host.Journal.Events.ToDictionary(e => e.Id);
        Assert.Equal(At("2026-03-02T09:00:00+01:00"), events["10001:proposal.submitted"].Time);
        Assert.Equal("ana.silva@example.com", events["10001:proposal.submitted"].Person);
        Assert.Equal("AI-1", events["10001:proposal.submitted"].Subject);
        Assert.Equal(EventType.ProposalAdopted, events["10002:proposal.adopted"].Type);
        Assert.Equal(At("2026-03-04T11:30:00Z"), events["10002:proposal.adopted"].Time);
        var decision = events["10003:decision"];
        Assert.True(decision.AiAssisted);
        Assert.Equal("jira:712020:4b8d1d6f-0000-4c5a-9e0b-1a2b3c4d5e6f", decision.Person);
        Assert.Equal(At("2026-03-05T14:00:00Z"), decision.Time);
        Assert.Equal(EventType.AiUsed, events["10003:ai.used"].Type);
        Assert.Equal("2026-03-05T14:00:00.0000000+00:00", result.Checkpoint);
    }

    [Fact]
    public async Task SyncAsync_SecondRun_ReReadsOverlapAndDoesNotDuplicate()
    {
        await using var server = await VendorHost.StartAsync((ctx, _) => VendorHost.WriteJsonAsync(ctx, Page(null,
            Issue("10001", "AI-1", "Idea", "2026-03-02T09:00:00.000+0000", "2026-03-06T09:00:00.000+0000"))));
        using var host = SourceHost.Create(Settings(server.BaseUri));

        await host.Sync.SyncAsync(null, null, null, null, CancellationToken.None);
        var second = await host.Sync.SyncAsync(null, null, null, null, CancellationToken.None);

        Assert.Equal(0, second.Sources[0].Inserted);
        Assert.Single(host.Journal.Events);
        var from = new DateTimeOffset(2026, 3, 6, 8, 50, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        Assert.StartsWith($"(project = AI) AND updated >= {from} AND", server.Requests.Last().Query("jql"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncAsync_RateLimitedWithRetryAfter_WaitsAndSucceeds()
    {
        var calls = 0;
        await using var server = await VendorHost.StartAsync((ctx, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                ctx.Response.Headers["Retry-After"] = "1";
                ctx.Response.Headers["RateLimit-Reason"] = "jira-burst-based";
                return VendorHost.WriteJsonAsync(ctx, "{\"errorMessages\":[\"Rate limit exceeded.\"]}", 429);
            }

            return VendorHost.WriteJsonAsync(ctx, Page(null, Issue("10001", "AI-1", "Idea", "2026-03-02T09:00:00.000+0000", "2026-03-02T09:00:00.000+0000")));
        });
        using var host = SourceHost.Create(Settings(server.BaseUri));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var report = await host.Sync.SyncAsync("ticketing", null, null, null, CancellationToken.None);

        Assert.True(report.Succeeded, report.Sources[0].Error);
        Assert.Equal(2, calls);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9));
        Assert.Single(host.Journal.Events);
    }

    [Fact]
    public async Task SyncAsync_MalformedIssueAndGonePage_CountsBadItemThenFailsOnlyTheBrokenPage()
    {
        var broken = Issue("10009", "AI-9", "Idea", "2026-13-45T09:00:00.000+0000", "2026-03-02T09:00:00.000+0000");
        await using var server = await VendorHost.StartAsync((ctx, req) => req.Query("nextPageToken") is null
            ? VendorHost.WriteJsonAsync(ctx, Page("next", broken, Issue("10001", "AI-1", "Idea", "2026-03-02T09:00:00.000+0000", "2026-03-02T09:00:00.000+0000")))
            : VendorHost.WriteJsonAsync(ctx, "<html>proxy error</html>"));
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var report = await host.Sync.SyncAsync("ticketing", null, null, null, CancellationToken.None);

        var result = report.Sources[0];
        Assert.False(result.Succeeded);
        Assert.Contains("malformed JSON", result.Error, StringComparison.Ordinal);
        Assert.Equal(["AI-9", "page 2"], result.BadItems.Select(b => b.ItemId));
        Assert.Equal(1, result.FailedPages);
        Assert.Single(host.Journal.Events);
        Assert.Equal("2026-03-02T09:00:00.0000000+00:00", await host.Journal.GetStateAsync("checkpoint:ticketing"));
    }

    [Fact]
    public async Task SyncAsync_ServiceUnavailableWithHttpDateRetryAfter_RetriesAndSucceeds()
    {
        var calls = 0;
        SourceHost? host = null;
        await using var server = await VendorHost.StartAsync((ctx, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                ctx.Response.Headers["Retry-After"] = host!.Clock.Now.AddSeconds(1).ToString("R", CultureInfo.InvariantCulture);
                return VendorHost.WriteJsonAsync(ctx, "{}", 503);
            }

            return VendorHost.WriteJsonAsync(ctx, Page(null, Issue("10001", "AI-1", "Idea", "2026-03-02T09:00:00.000+0000", "2026-03-02T09:00:00.000+0000")));
        });
        host = SourceHost.Create(Settings(server.BaseUri));
        using var _ = host;

        var report = await host.Sync.SyncAsync("ticketing", null, null, null, CancellationToken.None);

        Assert.True(report.Succeeded, report.Sources[0].Error);
        Assert.Equal(2, calls);
        Assert.Single(host.Journal.Events);
    }
}
