using System.Text.Json.Nodes;
using Metrics.Core.Directory;
using Metrics.Sources.Tests.Fakes;
using Metrics.Testing.Vendors;
using Microsoft.AspNetCore.Http;

namespace Metrics.Sources.Tests.Directory;

public sealed class GraphDirectoryTests
{
    private static JsonObject User(string id, string? mail, string upn, string? department, string? title, string? managerId = null) =>
        GraphPages.User(id, mail, upn, department, title, managerId);

    private static string Page(Uri server, string? next, string? delta, params JsonNode[] users) =>
        GraphPages.Page(server, next, delta ?? string.Empty, users);

    private sealed class Tenant
    {
        public int Round { get; set; } = 1;

        public Task Handle(HttpContext ctx, RecordedRequest req, Uri self)
        {
            if (req.Path == "/tenant/oauth2/v2.0/token")
            {
                return VendorHost.WriteJsonAsync(ctx, GraphPages.Token("eyJ0eXAiOi.fake.token"));
            }

            if (req.Headers.GetValueOrDefault("Authorization") != "Bearer eyJ0eXAiOi.fake.token")
            {
                return VendorHost.WriteJsonAsync(ctx, VendorPages.Page("graph", "sync-state-not-found.json").Set("error.code", "InvalidAuthenticationToken").Set("error.message", "Access token is empty.").ToJsonString(), 401);
            }

            if (req.Query("$deltatoken") == "d1")
            {
                // Second round: Bo moved to Sales, Cy left, Ana unchanged (not listed).
                return VendorHost.WriteJsonAsync(ctx, Page(self, null, "d2",
                    GraphPages.Changed("u-bo", "Sales"),
                    GraphPages.Removed("u-cy")));
            }

            return req.Query("$skiptoken") is null
                ? VendorHost.WriteJsonAsync(ctx, Page(self, "s1", null,
                    User("u-ana", "Ana@Example.com", "ana@example.onmicrosoft.com", "Ops", "Head of Operations"),
                    User("u-bo", "bo@example.com", "bo@example.com", "Ops", "Machine Operator", "u-ana")))
                : VendorHost.WriteJsonAsync(ctx, Page(self, null, "d1",
                    User("u-cy", null, "cy@example.com", "Ops", "Analyst", "u-ana"),
                    User("u-svc", null, "svc-backup@example.com", null, null)));
        }
    }

    private static Dictionary<string, string?> Settings(Uri server) => new(SourceHost.FastResilience("Sources:Directory"))
    {
        ["Sources:Directory:Enabled"] = "true",
        ["Sources:Directory:Provider"] = "Graph",
        ["Sources:Directory:BaseUrl"] = server.ToString(),
        ["Sources:Directory:TokenEndpoint"] = new Uri(server, "/tenant/oauth2/v2.0/token").ToString(),
        ["Sources:Directory:ClientId"] = "app-id",
        ["Sources:Directory:ClientSecret"] = "app-secret",
        ["Sources:Directory:LevelRules:0:Level"] = "frontline",
        ["Sources:Directory:LevelRules:0:TitleContains"] = "operator",
        ["Kpi:TimeZone"] = "Europe/Berlin",
    };

    [Fact]
    public async Task SyncAsync_DeltaRounds_SnapshotsDirectoryAtSyncDateInOrgZone()
    {
        var tenant = new Tenant();
        VendorHost? server = null;
        server = await VendorHost.StartAsync((ctx, req) => tenant.Handle(ctx, req, server!.BaseUri));
        await using var _ = server;
        using var host = SourceHost.Create(Settings(server.BaseUri), now: new DateTimeOffset(2026, 3, 9, 23, 30, 0, TimeSpan.Zero));

        var first = await host.Sync.SyncAsync("directory", null, null, null, CancellationToken.None);

        Assert.True(first.Succeeded, first.Sources[0].Error);
        var token = server.RequestsTo("/token").Single();
        Assert.Contains("grant_type=client_credentials", token.Body, StringComparison.Ordinal);
        Assert.Contains("client_secret=app-secret", token.Body, StringComparison.Ordinal);
        Assert.Contains("scope=https%3A%2F%2Fgraph.microsoft.com%2F.default", token.Body, StringComparison.Ordinal);
        var firstDelta = server.RequestsTo("/users/delta")[0];
        Assert.Equal("id,mail,userPrincipalName,department,jobTitle,employeeId,accountEnabled", firstDelta.Query("$select"));
        Assert.Equal("manager($select=id)", firstDelta.Query("$expand"));
        Assert.StartsWith("?$select=", firstDelta.QueryString, StringComparison.Ordinal);

        var day1 = new DateOnly(2026, 3, 10); // 23:30 UTC is already the 10th in Berlin.
        var opened = day1.AddDays(-30); // the first snapshot is back-dated over the default 30-day initial lookback
        var directory = (await host.Journal.LoadDirectoryAsync()).OrderBy(r => r.Person, StringComparer.Ordinal).ToArray();
        Assert.Equal(
            [
                new DirectoryRecord("ana@example.com", "Ops", Level.Manager, opened, null),
                new DirectoryRecord("bo@example.com", "Ops", Level.Frontline, opened, null),
                new DirectoryRecord("cy@example.com", "Ops", Level.Specialist, opened, null),
            ],
            directory);
        Assert.Equal("ana@example.com", host.Journal.Identities["ana@example.onmicrosoft.com"]);
        var noDepartment = Assert.Single(first.Sources[0].BadItems);
        Assert.Equal(("u-svc", "no department"), (noDepartment.ItemId, noDepartment.Reason));

        host.Clock.Now = new DateTimeOffset(2026, 3, 12, 8, 0, 0, TimeSpan.Zero);
        tenant.Round = 2;
        var second = await host.Sync.SyncAsync("directory", null, null, null, CancellationToken.None);

        Assert.True(second.Succeeded, second.Sources[0].Error);
        Assert.Equal("d1", server.RequestsTo("/users/delta")[^1].Query("$deltatoken"));
        var day3 = new DateOnly(2026, 3, 12);
        var after = (await host.Journal.LoadDirectoryAsync()).OrderBy(r => r.Person, StringComparer.Ordinal).ThenBy(r => r.From).ToArray();
        Assert.Equal(
            [
                new DirectoryRecord("ana@example.com", "Ops", Level.Manager, opened, null),
                new DirectoryRecord("bo@example.com", "Ops", Level.Frontline, opened, day3),
                new DirectoryRecord("bo@example.com", "Sales", Level.Frontline, day3, null),
                new DirectoryRecord("cy@example.com", "Ops", Level.Specialist, opened, day3),
            ],
            after);
    }

    [Fact]
    public async Task SyncAsync_HostileDepartmentNames_RejectedAndCountedLikeTheCsvImportOthersStored()
    {
        // The same DepartmentName rule as the directory CSV import: a name the KPI store cannot carry (backslash,
        // control character) or the reserved pooled name is one bad person, not a failed directory sync.
        VendorHost? server = null;
        server = await VendorHost.StartAsync((ctx, req) => req.Path.EndsWith("/token", StringComparison.Ordinal)
            ? VendorHost.WriteJsonAsync(ctx, GraphPages.Token("t"))
            : VendorHost.WriteJsonAsync(ctx, Page(server!.BaseUri, null, "d1",
                User("u-ana", "ana@example.com", "ana@example.com", "Ops", "Analyst"),
                User("u-bs", "bs@example.com", "bs@example.com", "R&D\\Lab", "Analyst"),
                User("u-tab", "tab@example.com", "tab@example.com", "Night\tShift", "Analyst"),
                User("u-small", "small@example.com", "small@example.com", "(Small Groups)", "Analyst"),
                User("u-bo", "bo@example.com", "bo@example.com", "Sales", "Analyst"))));
        await using var _ = server;
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var report = await host.Sync.SyncAsync("directory", null, null, null, CancellationToken.None);

        var directory = report.Sources[0];
        Assert.True(directory.Succeeded, directory.Error);
        Assert.Equal(["ana@example.com", "bo@example.com"], (await host.Journal.LoadDirectoryAsync()).Select(r => r.Person).Order(StringComparer.Ordinal));
        var bad = directory.BadItems.ToDictionary(b => b.ItemId, b => b.Reason);
        Assert.Equal(3, bad.Count);
        Assert.Equal(3, directory.BadItemCount);
        Assert.Equal(DepartmentName.Check("R&D\\Lab"), bad["u-bs"]);
        Assert.Equal(DepartmentName.Check("Night\tShift"), bad["u-tab"]);
        Assert.Equal(DepartmentName.Check("(Small Groups)"), bad["u-small"]);
    }

    [Fact]
    public async Task SyncAsync_TokenEndpointDown_FailsDirectoryButOtherSourcesRun()
    {
        await using var server = await VendorHost.StartAsync((ctx, req) => req.Path.EndsWith("/token", StringComparison.Ordinal)
            ? VendorHost.WriteJsonAsync(ctx, "{\"error\":\"invalid_client\"}", 401)
            : VendorHost.WriteJsonAsync(ctx, XapiPages.Result(null)));
        var settings = Settings(server.BaseUri);
        foreach (var (k, v) in SourceHost.FastResilience("Sources:Lms"))
        {
            settings[k] = v;
        }

        settings["Sources:Lms:Enabled"] = "true";
        settings["Sources:Lms:BaseUrl"] = new Uri(server.BaseUri, "/xapi").ToString();
        settings["Sources:Lms:Username"] = "k";
        settings["Sources:Lms:Password"] = "s";
        settings["Sources:Lms:CourseActivityPrefixes:0"] = "https://lms.example.com/courses/";
        using var host = SourceHost.Create(settings);

        var report = await host.Sync.SyncAsync(null, null, null, null, CancellationToken.None);

        Assert.False(report.Succeeded);
        var directory = report.Sources.Single(s => s.Source == "directory");
        Assert.Contains("HTTP 401", directory.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("app-secret", directory.Error, StringComparison.Ordinal);
        Assert.True(report.Sources.Single(s => s.Source == "lms").Succeeded);
    }

    [Fact]
    public async Task SyncAsync_ExpiredDeltaLink_RestartsWithFullRound()
    {
        var tenant = new Tenant();
        VendorHost? server = null;
        server = await VendorHost.StartAsync((ctx, req) => req.Query("$deltatoken") == "d1"
            ? VendorPages.ServeAsync(ctx, "graph", "sync-state-not-found.json", 410)
            : tenant.Handle(ctx, req, server!.BaseUri));
        await using var _ = server;
        using var host = SourceHost.Create(Settings(server.BaseUri));
        var first = await host.Sync.SyncAsync("directory", null, null, null, CancellationToken.None);
        Assert.True(first.Succeeded, first.Sources[0].Error);

        var second = await host.Sync.SyncAsync("directory", null, null, null, CancellationToken.None);

        Assert.True(second.Succeeded, second.Sources[0].Error);
        // Found by the token, not by position: on a loaded machine a request over the 1 s attempt timeout is retried and
        // shifts the list (CI saw deltas[2] be a retry of the first round).
        var deltas = server.RequestsTo("/users/delta").ToList();
        var expired = deltas.FindLastIndex(r => r.Query("$deltatoken") == "d1");
        Assert.True(expired >= 0, "the second sync never sent the stored delta link");
        Assert.StartsWith("?$select=", deltas[expired + 1].QueryString, StringComparison.Ordinal);
        Assert.Equal(3, (await host.Journal.LoadDirectoryAsync()).Count);
    }

    [Fact]
    public void Merge_ManagerDeltaAndRemoval_UpdatesState()
    {
        var state = new Metrics.Sources.Directory.GraphDirectoryState();
        Metrics.Sources.Directory.GraphDirectory.Merge(state, Element(GraphPages.User("u1", "a@x.com", "a@x.com", "Ops", null, null)));
        // The manager as a manager@delta list (the simulator's form): the recorded pages show only the manager object.
        Metrics.Sources.Directory.GraphDirectory.Merge(state, System.Text.Json.JsonDocument.Parse("""{"id":"u1","manager@delta":[{"@odata.type":"#microsoft.graph.user","id":"m9"}]}""").RootElement);
        Metrics.Sources.Directory.GraphDirectory.Merge(state, Element(GraphPages.User("u2", "b@x.com", "b@x.com", "Ops", null, null)));
        Metrics.Sources.Directory.GraphDirectory.Merge(state, Element(GraphPages.Removed("u2").Set("@removed.reason", "deleted")));

        var u1 = Assert.Single(state.Users).Value;
        Assert.Equal(("a@x.com", "Ops", "m9"), (u1.Mail, u1.Department, u1.ManagerId));
    }

    private static System.Text.Json.JsonElement Element(JsonNode node) => System.Text.Json.JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();
}
