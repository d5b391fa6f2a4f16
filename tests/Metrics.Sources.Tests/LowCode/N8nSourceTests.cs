using Metrics.Core.Events;
using Metrics.Sources.Tests.Fakes;
using Metrics.Testing.Vendors;
using Microsoft.AspNetCore.Http;
using static Metrics.Testing.Vendors.N8nPages;

namespace Metrics.Sources.Tests.LowCode;

public sealed class N8nSourceTests
{
    private const string Agent = "@n8n/n8n-nodes-langchain.agent";

    private static Dictionary<string, string?> Settings(Uri server, Action<Dictionary<string, string?>>? extra = null)
    {
        var s = SourceHost.FastResilience("Sources:LowCode");
        s["Sources:LowCode:Enabled"] = "true";
        s["Sources:LowCode:BaseUrl"] = new Uri(server, "/api/v1").ToString();
        s["Sources:LowCode:ApiKey"] = "n8n_api_key";
        s["Sources:LowCode:PageSize"] = "2";
        extra?.Invoke(s);
        return s;
    }

    /// <summary>A small instance: an AI workflow in a personal project, a plain one, and an AI one in a team project.</summary>
    private sealed class Instance
    {
        public List<JsonNodeList> Executions { get; } = [];

        public string? TeamAdmins { get; set; } = "one";

        public int FailExecutionsOnce { get; set; }

        public Task Handle(HttpContext ctx, RecordedRequest req)
        {
            var cursor = req.Query("cursor");
            switch (req.Path)
            {
                case "/api/v1/workflows" when cursor is null:
                    return VendorHost.WriteJsonAsync(ctx, Page("d2Y=",
                        Workflow("wfAi1", "2026-03-08T10:00:00.000Z", "2026-03-09T15:00:00.000Z", "pPersonal", "n8n-nodes-base.manualTrigger", Agent, "@n8n/n8n-nodes-langchain.lmChatOpenAi"),
                        Workflow("wfPlain", "2026-03-08T10:00:00.000Z", "2026-03-08T10:00:00.000Z", "pPersonal", "n8n-nodes-base.scheduleTrigger", "n8n-nodes-base.httpRequest")));
                case "/api/v1/workflows":
                    return VendorHost.WriteJsonAsync(ctx, Page(null,
                        Workflow("wfTeam", "2025-06-01T10:00:00.000Z", "2025-06-01T10:00:00.000Z", "pTeam", "n8n-nodes-base.openAi")));
                case "/api/v1/projects/pPersonal/users":
                    return VendorHost.WriteJsonAsync(ctx, Page(null, Member("Dana.Builder@Example.com", "project:personalOwner")));
                case "/api/v1/projects/pTeam/users":
                    return TeamAdmins == "one"
                        ? VendorHost.WriteJsonAsync(ctx, Page(null, Member("lead@example.com", "project:admin"), Member("viewer@example.com", "project:viewer")))
                        : VendorHost.WriteJsonAsync(ctx, Page(null, Member("a@example.com", "project:admin"), Member("b@example.com", "project:admin")));
                case "/api/v1/executions":
                    if (FailExecutionsOnce-- > 0)
                    {
                        return VendorHost.WriteJsonAsync(ctx, Error("internal error"), 500);
                    }

                    var index = cursor is null ? 0 : int.Parse(cursor, System.Globalization.CultureInfo.InvariantCulture);
                    var next = index + 1 < Executions.Count ? (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
                    return VendorHost.WriteJsonAsync(ctx, Page(next, [.. Executions[index]]));
                default:
                    return VendorPages.ServeAsync(ctx, N8nPages.Vendor, "not-found.json", 404);
            }
        }
    }

    public sealed class JsonNodeList : List<System.Text.Json.Nodes.JsonNode>;

    private static JsonNodeList Execs(params System.Text.Json.Nodes.JsonNode[] items)
    {
        var list = new JsonNodeList();
        list.AddRange(items);
        return list;
    }

    [Fact]
    public async Task SyncAsync_NewestFirstPaging_StopsBelowLookbackAndAttributesToProjectOwners()
    {
        var instance = new Instance();
        instance.Executions.Add(Execs(Execution(1050, "wfAi1", "2026-03-10T11:00:00.000Z"), Execution(1049, "wfPlain", "2026-03-10T10:00:00.000Z")));
        instance.Executions.Add(Execs(Execution(1048, "wfTeam", "2026-03-09T09:00:00.000Z", "error"), Execution(990, "wfAi1", "2026-01-01T09:00:00.000Z")));
        instance.Executions.Add(Execs(Execution(900, "wfAi1", "2025-12-01T09:00:00.000Z")));
        await using var server = await VendorHost.StartAsync(instance.Handle);
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var report = await host.Sync.SyncAsync("lowcode", null, null, null, CancellationToken.None);

        var result = Assert.Single(report.Sources);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(2, server.RequestsTo("/executions").Count);
        Assert.Equal("1", server.RequestsTo("/executions")[1].Query("cursor"));
        Assert.Equal("d2Y=", server.RequestsTo("/workflows")[1].Query("cursor"));
        Assert.All(server.Requests, r => Assert.Equal("n8n_api_key", r.Headers["X-N8N-API-KEY"]));

        var events = host.Journal.Events.ToDictionary(e => e.Id);
        Assert.Equal(["exec-1048", "exec-1050", "wf-wfAi1-built-2026-03-09", "wf-wfAi1-created"], events.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("dana.builder@example.com", events["exec-1050"].Person);
        Assert.Equal(EventType.AiUsed, events["exec-1050"].Type);
        Assert.Contains(Agent, events["exec-1050"].AttributesJson, StringComparison.Ordinal);
        Assert.Equal("lead@example.com", events["exec-1048"].Person);
        Assert.Equal(EventType.PrototypeCreated, events["wf-wfAi1-created"].Type);
        Assert.Equal("wfAi1", events["wf-wfAi1-created"].Subject);
        Assert.Equal("{\"through\":\"2026-03-10T11:00:00.0000000+00:00\"}", result.Checkpoint);
        Assert.Equal(1, result.Ignored["workflow has no AI node"]);
    }

    [Fact]
    public async Task SyncAsync_ExecutionFinishingLateBelowHighWater_CaughtByLookbackOnNextRun()
    {
        var instance = new Instance();
        instance.Executions.Add(Execs(Execution(2002, "wfAi1", "2026-03-10T11:30:00.000Z")));
        await using var server = await VendorHost.StartAsync(instance.Handle);
        using var host = SourceHost.Create(Settings(server.BaseUri));
        await host.Sync.SyncAsync("lowcode", null, null, null, CancellationToken.None);

        // 2001 was running during the first run (running executions are not listed) and finished afterwards.
        instance.Executions[0] = Execs(Execution(2003, "wfAi1", "2026-03-10T11:50:00.000Z"), Execution(2002, "wfAi1", "2026-03-10T11:30:00.000Z"));
        instance.Executions.Add(Execs(Execution(2001, "wfAi1", "2026-03-10T09:00:00.000Z"), Execution(1500, "wfAi1", "2026-03-09T01:00:00.000Z")));
        host.Clock.Now = host.Clock.Now.AddMinutes(30);
        var second = await host.Sync.SyncAsync("lowcode", null, null, null, CancellationToken.None);

        Assert.True(second.Succeeded, second.Sources[0].Error);
        var ids = host.Journal.Events.Select(e => e.Id).ToHashSet();
        Assert.Contains("exec-2001", ids);
        Assert.Contains("exec-2003", ids);
        Assert.DoesNotContain("exec-1500", ids);
        Assert.Equal("{\"through\":\"2026-03-10T11:50:00.0000000+00:00\"}", second.Sources[0].Checkpoint);
    }

    [Fact]
    public async Task SyncAsync_TeamProjectWithTwoAdmins_ReportsBadItemsWithIds()
    {
        var instance = new Instance { TeamAdmins = "two" };
        instance.Executions.Add(Execs(Execution(3001, "wfTeam", "2026-03-10T11:00:00.000Z")));
        await using var server = await VendorHost.StartAsync(instance.Handle);
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var report = await host.Sync.SyncAsync("lowcode", null, null, null, CancellationToken.None);

        var bad = Assert.Single(report.Sources[0].BadItems);
        Assert.Equal("exec-3001", bad.ItemId);
        Assert.Equal("owning project has no single owner with an e-mail", bad.Reason);
    }

    [Fact]
    public async Task SyncAsync_TeamProjectConfiguredPerson_UsesConfiguration()
    {
        var instance = new Instance { TeamAdmins = "two" };
        instance.Executions.Add(Execs(Execution(3001, "wfTeam", "2026-03-10T11:00:00.000Z")));
        await using var server = await VendorHost.StartAsync(instance.Handle);
        using var host = SourceHost.Create(Settings(server.BaseUri, s => s["Sources:LowCode:ProjectPeople:pTeam"] = "Owner@Example.com"));

        await host.Sync.SyncAsync("lowcode", null, null, null, CancellationToken.None);

        Assert.Equal("owner@example.com", host.Journal.Events.Single(e => e.Id == "exec-3001").Person);
        Assert.Empty(server.RequestsTo("/projects/pTeam/users"));
    }

    [Fact]
    public async Task SyncAsync_ServerErrorThenSuccess_RetriesExecutionsPage()
    {
        var instance = new Instance { FailExecutionsOnce = 1 };
        instance.Executions.Add(Execs(Execution(4001, "wfAi1", "2026-03-10T11:00:00.000Z")));
        await using var server = await VendorHost.StartAsync(instance.Handle);
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var report = await host.Sync.SyncAsync("lowcode", null, null, null, CancellationToken.None);

        Assert.True(report.Succeeded, report.Sources[0].Error);
        Assert.Equal(2, server.RequestsTo("/executions").Count);
        Assert.Contains(host.Journal.Events, e => e.Id == "exec-4001");
    }
}
