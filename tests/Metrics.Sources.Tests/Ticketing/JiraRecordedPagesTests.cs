using System.Text.Json;
using Metrics.Sources.Tests.Fakes;
using Metrics.Sources.Ticketing;
using Metrics.Testing.Vendors;
using Microsoft.AspNetCore.Http;

namespace Metrics.Sources.Tests.Ticketing;

/// <summary>
/// The Jira connector against pages built from Atlassian's Jira Cloud platform OpenAPI document and its examples
/// (tests/vendor-pages/jira), served by a host that refuses any request the document does not allow.
/// </summary>
public sealed class JiraRecordedPagesTests
{
    private const string Vendor = "jira";
    private const string Mia = "jira:5b10a2844c20165700ede21g";

    private static async Task<(VendorHost Server, List<string> Rejections)> StartAsync()
    {
        var openApi = OpenApiRequestCheck.Load(Vendor, "openapi.yaml", string.Empty);
        var rejections = new List<string>();
        var server = await VendorHost.StartAsync((ctx, req) =>
        {
            var errors = openApi.Check(req);
            if (errors.Count > 0)
            {
                rejections.AddRange(errors);
                return VendorHost.WriteJsonAsync(ctx, JsonSerializer.Serialize(new { errorMessages = errors, errors = new { } }), 400);
            }

            return req.Query("nextPageToken") switch
            {
                null => VendorPages.ServeAsync(ctx, Vendor, "search.page1.json"),
                "CAEaAggD" => VendorPages.ServeAsync(ctx, Vendor, "search.page2.json"),
                _ => VendorHost.WriteJsonAsync(ctx, "{\"errorMessages\":[\"Invalid token\"],\"errors\":{}}", 400),
            };
        });
        return (server, rejections);
    }

    private static Dictionary<string, string?> Settings(Uri server)
    {
        var s = SourceHost.FastResilience("Sources:Ticketing");
        s["Sources:Ticketing:Enabled"] = "true";
        s["Sources:Ticketing:BaseUrl"] = server.ToString();
        s["Sources:Ticketing:Email"] = "metrics-bot@example.com";
        s["Sources:Ticketing:ApiToken"] = "ATATT-recorded";
        s["Sources:Ticketing:Jql"] = "project = EX";
        s["Sources:Ticketing:Project:IssueTypes:0"] = "Epic";
        return s;
    }

    [Fact]
    public async Task SyncAsync_RecordedSearchPages_EveryRequestPassesJiraOpenApiAndEventsMatchExpected()
    {
        var (server, rejections) = await StartAsync();
        await using var _ = server;
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var result = (await host.Sync.SyncAsync("ticketing", null, null, null, CancellationToken.None)).Sources[0];

        Assert.Empty(rejections);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(new string?[] { null, "CAEaAggD" }, server.RequestsTo("/rest/api/3/search/jql").Select(r => r.Query("nextPageToken")).Distinct().ToArray());
        // EX-1's category is the swagger example's {id: 9, key: "completed"}: before, only key "done" counted, and the
        // completed epic never became project.completed.
        VendorPages.AssertEvents(Vendor, "expected.jsonl", host.Journal.Events);
    }

    [Fact]
    public async Task SyncAsync_SameAccountWithHiddenThenVisibleEmail_OnePersonLinkedToTheEmail()
    {
        var (server, _) = await StartAsync();
        await using var __ = server;
        using var host = SourceHost.Create(Settings(server.BaseUri));

        await host.Sync.SyncAsync("ticketing", null, null, null, CancellationToken.None);

        // EX-1 hides Mia's e-mail, EX-2 shows it. Before, EX-1 counted for an identity linked to nobody: a second,
        // unresolved person. Now her account id is linked to the e-mail, and both issues resolve to her.
        Assert.Equal("mia@example.com", host.Journal.Identities[Mia]);
        var people = host.Journal.Events.Select(e => host.Journal.Identities.GetValueOrDefault(e.Person, e.Person)).Distinct().ToArray();
        Assert.Equal(["mia@example.com"], people);
    }

    [Theory]
    [InlineData("""{"colorName":"green","id":9,"key":"completed","self":"https://your-domain.atlassian.net/rest/api/3/statuscategory/9"}""", true)]
    [InlineData("""{"self":"https://your-domain.atlassian.net/rest/api/3/statuscategory/3","id":3,"key":"done","colorName":"green","name":"Done"}""", true)]
    [InlineData("\"DONE\"", true)]
    [InlineData("""{"colorName":"yellow","id":1,"key":"in-flight","name":"In Progress","self":"https://your-domain.atlassian.net/rest/api/3/statuscategory/1"}""", false)]
    [InlineData("""{"self":"https://your-domain.atlassian.net/rest/api/3/statuscategory/2","id":2,"key":"new","colorName":"blue-gray","name":"To Do"}""", false)]
    [InlineData("\"IN_PROGRESS\"", false)]
    [InlineData("\"TODO\"", false)]
    public void IsDone_EveryDocumentedStatusCategoryShape_RecognisesDone(string category, bool done)
    {
        using var json = JsonDocument.Parse(category);

        Assert.Equal(done, JiraMapper.IsDone(json.RootElement.Clone()));
    }
}
