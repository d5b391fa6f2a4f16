using System.Text.Json;
using Metrics.Sources.LowCode;
using Metrics.Sources.Tests.Fakes;
using Metrics.Testing.Vendors;
using Microsoft.AspNetCore.Http;

namespace Metrics.Sources.Tests.LowCode;

/// <summary>
/// The n8n connector against pages built from n8n's published public-API OpenAPI document (tests/vendor-pages/n8n),
/// served by a host that, like n8n, validates every request against that document and answers 400 to one it rejects.
/// </summary>
public sealed class N8nRecordedPagesTests
{
    private const string Vendor = "n8n";
    private const string SecondPage = "MTIzZTQ1NjctZTg5Yi0xMmQzLWE0NTYtNDI2NjE0MTc0MDA";

    private sealed class RecordedN8n
    {
        private readonly OpenApiRequestCheck _openApi = OpenApiRequestCheck.Load(Vendor, "openapi.yaml", "/api/v1");

        /// <summary>What <c>GET /projects/{id}/users</c> answers: 200 (the recorded members), 404 (older versions) or 403 (unlicensed).</summary>
        public int MembersStatus { get; set; } = 200;

        /// <summary>When set, a second executions page fails with 503 this many times (more than the retries).</summary>
        public int FailSecondPage { get; set; }

        /// <summary>When set, the members of this project fail with 503 <see cref="FailMembers"/> times.</summary>
        public string? FailMembersOf { get; set; }

        public int FailMembers { get; set; }

        public List<string> Rejections { get; } = [];

        public Task Handle(HttpContext ctx, RecordedRequest req)
        {
            var errors = _openApi.Check(req);
            if (errors.Count > 0)
            {
                Rejections.AddRange(errors);
                return VendorHost.WriteJsonAsync(ctx, JsonSerializer.Serialize(new { message = errors[0] }), 400);
            }

            var cursor = req.Query("cursor");
            return req.Path switch
            {
                "/api/v1/workflows" => VendorPages.ServeAsync(ctx, Vendor, "workflows.json"),
                "/api/v1/executions" when cursor is null => VendorPages.ServeAsync(ctx, Vendor, "executions.page1.json"),
                "/api/v1/executions" when cursor == SecondPage && FailSecondPage > 0 && FailSecondPage-- > 0 =>
                    VendorHost.WriteJsonAsync(ctx, N8nPages.Error("Service unavailable"), 503),
                "/api/v1/executions" when cursor == SecondPage => VendorPages.ServeAsync(ctx, Vendor, "executions.page2.json"),
                _ when FailMembersOf is not null && req.Path == $"/api/v1/projects/{FailMembersOf}/users" && FailMembers > 0 && FailMembers-- > 0 =>
                    VendorHost.WriteJsonAsync(ctx, N8nPages.Error("Service unavailable"), 503),
                _ when req.Path.StartsWith("/api/v1/projects/", StringComparison.Ordinal) && MembersStatus == 200 =>
                    VendorPages.ServeAsync(ctx, Vendor, "project-users.json"),
                _ when req.Path.StartsWith("/api/v1/projects/", StringComparison.Ordinal) =>
                    VendorPages.ServeAsync(ctx, Vendor, "not-found.json", MembersStatus),
                _ => VendorPages.ServeAsync(ctx, Vendor, "not-found.json", 404),
            };
        }
    }

    private static async Task<(VendorHost Server, RecordedN8n N8n)> StartAsync(Action<RecordedN8n>? setup = null)
    {
        var n8n = new RecordedN8n();
        setup?.Invoke(n8n);
        return (await VendorHost.StartAsync(n8n.Handle), n8n);
    }

    private static Dictionary<string, string?> Settings(Uri server)
    {
        var s = SourceHost.FastResilience("Sources:LowCode");
        s["Sources:LowCode:Enabled"] = "true";
        s["Sources:LowCode:BaseUrl"] = new Uri(server, "/api/v1").ToString();
        s["Sources:LowCode:ApiKey"] = "n8n_api_recorded";
        return s;
    }

    [Fact]
    public async Task SyncAsync_RecordedPages_EveryRequestPassesN8nOpenApiAndEventsMatchExpected()
    {
        var (server, n8n) = await StartAsync();
        await using var _ = server;
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var report = await host.Sync.SyncAsync("lowcode", null, null, null, CancellationToken.None);

        // Before the fix, excludePinnedData=True and includeData=False were refused with 400 and no event arrived.
        Assert.Empty(n8n.Rejections);
        Assert.True(report.Succeeded, report.Sources[0].Error);
        Assert.Equal("false", server.RequestsTo("/executions")[0].Query("includeData"));
        Assert.Equal("true", server.RequestsTo("/workflows")[0].Query("excludePinnedData"));
        VendorPages.AssertEvents(Vendor, "expected.members-200.jsonl", host.Journal.Events);
    }

    [Fact]
    public async Task SyncAsync_QueuedExecutionWithNullStartedAt_IgnoredNotBad()
    {
        var (server, _) = await StartAsync();
        await using var __ = server;
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var result = (await host.Sync.SyncAsync("lowcode", null, null, null, CancellationToken.None)).Sources[0];

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(0, result.BadItemCount);
        Assert.Equal(1, result.Ignored["execution not started yet"]);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(403)]
    public async Task SyncAsync_ProjectMembersEndpointMissingOrUnlicensed_FallsBackToSharedPersonalProjectAndWarnsOnce(int status)
    {
        var (server, _) = await StartAsync(n => n.MembersStatus = status);
        await using var __ = server;
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var result = (await host.Sync.SyncAsync("lowcode", null, null, null, CancellationToken.None)).Sources[0];

        Assert.True(result.Succeeded, result.Error);
        VendorPages.AssertEvents(Vendor, "expected.members-404.jsonl", host.Journal.Events);
        // The team project's execution has no personal owner to fall back to: a bad item, not a failed source.
        var bad = Assert.Single(result.BadItems);
        Assert.Equal(("exec-1001", "owning project has no single owner with an e-mail"), (bad.ItemId, bad.Reason));
        Assert.Equal(1, result.Ignored[$"project members not available (HTTP {status}): owners from the workflows' shared data"]);
        // Asked once, then not again for the other project.
        Assert.Single(server.RequestsTo("/users"));
    }

    [Fact]
    public async Task SyncAsync_RunEndsMidScan_NextRunResumesFromStoredCursorInsteadOfStartingOver()
    {
        // The second executions page fails past the retries (MaxRetries 3): the run ends after page 1 was stored.
        var (server, n8n) = await StartAsync(n => n.FailSecondPage = 4);
        await using var _ = server;
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var first = (await host.Sync.SyncAsync("lowcode", null, null, null, CancellationToken.None)).Sources[0];

        Assert.False(first.Succeeded);
        var scan = N8nSource.ReadCheckpoint(first.Checkpoint).Scan;
        Assert.NotNull(scan);
        Assert.Equal(SecondPage, scan.Cursor);
        Assert.Contains(host.Journal.Events, e => e.Id == "exec-1002");
        var firstRunCalls = server.RequestsTo("/executions").Count;

        var second = (await host.Sync.SyncAsync("lowcode", null, null, null, CancellationToken.None)).Sources[0];

        Assert.True(second.Succeeded, second.Error);
        var secondRunCalls = server.RequestsTo("/executions").Skip(firstRunCalls).Select(r => r.Query("cursor")).ToArray();
        // Run 2 resumes at the stored cursor, then scans the newest executions down to the finished scan's top minus the
        // overlap (which lies on page 2 again).
        Assert.Equal(new string?[] { SecondPage, null, SecondPage }, secondRunCalls);
        Assert.Null(N8nSource.ReadCheckpoint(second.Checkpoint).Scan);
        VendorPages.AssertEvents(Vendor, "expected.members-200.jsonl", host.Journal.Events);
        Assert.Empty(n8n.Rejections);
    }

    [Fact]
    public async Task SyncAsync_RunEndsOnAProjectMembersRequest_NextRunDoesNotAskForTheOwnersItAlreadyLearned()
    {
        // Every project's owner is asked for before the first event is stored: under a storm each run used to end on one
        // of those requests and start over, so a source with many projects never finished.
        const string Personal = "VmwOO9HeTEj20kxM";
        const string Team = "rT5kLm2NpQ8sV1wX";
        var (server, n8n) = await StartAsync(n => (n.FailMembersOf, n.FailMembers) = (Team, 4));
        await using var _ = server;
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var first = (await host.Sync.SyncAsync("lowcode", null, null, null, CancellationToken.None)).Sources[0];

        Assert.False(first.Succeeded);
        Assert.Single(server.RequestsTo($"/projects/{Personal}/users"));
        Assert.Equal("john.doe@company.com", N8nSource.ReadCheckpoint(first.Checkpoint).Owners?[Personal]);

        var second = (await host.Sync.SyncAsync("lowcode", null, null, null, CancellationToken.None)).Sources[0];

        Assert.True(second.Succeeded, second.Error);
        Assert.Single(server.RequestsTo($"/projects/{Personal}/users"));
        Assert.Null(N8nSource.ReadCheckpoint(second.Checkpoint).Owners);
        VendorPages.AssertEvents(Vendor, "expected.members-200.jsonl", host.Journal.Events);
        Assert.Empty(n8n.Rejections);
    }
}
