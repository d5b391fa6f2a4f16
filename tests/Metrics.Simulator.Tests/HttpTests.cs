using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Metrics.Simulator.Generation;
using Metrics.Simulator.Hosting;
using Metrics.Simulator.Vendors;

namespace Metrics.Simulator.Tests;

/// <summary>The vendor endpoints over real HTTP on Kestrel (127.0.0.1, port 0).</summary>
public sealed class HttpTests : SimulatorHttpTests
{
    private static AuthenticationHeaderValue Basic(string user, string secret) => SimulatorRequests.Basic(user, secret);

    private HttpRequestMessage Lrs(string url) => SimulatorRequests.Lrs(Credentials, url);

    private HttpRequestMessage N8n(string url) => SimulatorRequests.N8n(Credentials, url);

    private HttpRequestMessage Jira(string url) => SimulatorRequests.Jira(Credentials, url);

    private async Task<JsonElement> JsonAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Statements_FollowingMoreLinks_ReturnsEveryListedStatementOnceInStoredOrder()
    {
        var ids = new List<string>();
        var stored = new List<DateTimeOffset>();
        string? url = "lrs/xapi/statements?ascending=true&limit=50";
        while (!string.IsNullOrEmpty(url))
        {
            using var request = Lrs(url);
            using var response = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.Contains("X-Experience-API-Consistent-Through"));
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            foreach (var s in body.GetProperty("statements").EnumerateArray())
            {
                ids.Add(s.GetProperty("id").GetString()!);
                stored.Add(DateTimeOffset.Parse(s.GetProperty("stored").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
            }

            var more = body.GetProperty("more").GetString();
            Assert.True(string.IsNullOrEmpty(more) || more.StartsWith("/lrs/xapi/statements?more=", StringComparison.Ordinal), more);
            url = more;
        }

        var listed = Sim.Simulation.Lrs.Statements.Where(s => !s.Voided).Select(s => s.Id).ToList();
        Assert.Equal(listed, ids);
        Assert.Equal(stored.Order(), stored);
    }

    [Fact]
    public async Task Statements_SinceAndUntil_FilterOnStoredExclusiveInclusive()
    {
        var all = Sim.Simulation.Lrs.Statements.Where(s => !s.Voided).ToList();
        var since = all[10].Stored;
        var until = all[40].Stored;
        var body = await JsonAsync(Lrs($"lrs/xapi/statements?ascending=true&limit=0&since={Uri.EscapeDataString(XapiGenerator.Stored(since))}&until={Uri.EscapeDataString(XapiGenerator.Stored(until))}"));
        var expected = all.Where(s => s.Stored > since && s.Stored <= until).Select(s => s.Id);
        Assert.Equal(expected, body.GetProperty("statements").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Statements_VoidedStatementId_ReturnsTheVoidedStatementOnly()
    {
        var voided = Sim.Simulation.Lrs.Statements.First(s => s.Voided).Id;
        var body = await JsonAsync(Lrs("lrs/xapi/statements?voidedStatementId=" + voided));
        Assert.Equal(voided, body.GetProperty("id").GetString());
        using var direct = await Http.SendAsync(Lrs("lrs/xapi/statements?statementId=" + voided));
        Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);
    }

    [Fact]
    public async Task Executions_FollowingCursors_NewestFirstToTheEnd()
    {
        var ids = new List<long>();
        string? cursor = null;
        do
        {
            var body = await JsonAsync(N8n("n8n/api/v1/executions?limit=250" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor))));
            ids.AddRange(body.GetProperty("data").EnumerateArray().Select(x => x.GetProperty("id").GetInt64()));
            cursor = body.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(Sim.Simulation.N8n.Executions.Count, ids.Count);
        Assert.Equal(ids.OrderDescending(), ids);
    }

    [Fact]
    public async Task Workflows_AiWorkflows_CarryLangchainNodesAndAnOwnerShare()
    {
        var body = await JsonAsync(N8n("n8n/api/v1/workflows?limit=250"));
        var nodes = body.GetProperty("data").EnumerateArray().SelectMany(w => w.GetProperty("nodes").EnumerateArray()).Select(n => n.GetProperty("type").GetString()!);
        Assert.Contains(nodes, t => t.StartsWith("@n8n/n8n-nodes-langchain.", StringComparison.Ordinal));
        Assert.All(body.GetProperty("data").EnumerateArray(), w => Assert.Equal("workflow:owner", w.GetProperty("shared")[0].GetProperty("role").GetString()));
    }

    [Fact]
    public async Task Executions_LimitAbove250_Returns400()
    {
        using var response = await Http.SendAsync(N8n("n8n/api/v1/executions?limit=251"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task SearchJql_UpdatedEpochBounds_ReturnsExactlyTheIssuesInTheWindowByPages()
    {
        var issues = Sim.Simulation.Jira.Issues;
        var from = issues[issues.Count / 4].Updated!.Value;
        var to = issues[issues.Count / 2].Updated!.Value;
        var jql = $"(project in (AIP, OPS, PRJ)) AND updated >= {from.ToUnixTimeMilliseconds()} AND updated <= {to.ToUnixTimeMilliseconds()} ORDER BY updated ASC, id ASC";
        var keys = new List<string>();
        string? token = null;
        do
        {
            var body = await JsonAsync(Jira("jira/rest/api/3/search/jql?maxResults=20&fields=updated,issuetype&jql=" + Uri.EscapeDataString(jql)
                + (token is null ? string.Empty : "&nextPageToken=" + Uri.EscapeDataString(token))));
            foreach (var issue in body.GetProperty("issues").EnumerateArray())
            {
                keys.Add(issue.GetProperty("key").GetString()!);
                Assert.EndsWith("+0000", issue.GetProperty("fields").GetProperty("updated").GetString(), StringComparison.Ordinal);
                Assert.False(issue.GetProperty("fields").TryGetProperty("labels", out _));
            }

            token = body.TryGetProperty("nextPageToken", out var t) ? t.GetString() : null;
            Assert.Equal(token is null, body.GetProperty("isLast").GetBoolean());
        }
        while (token is not null);

        var expected = issues.Where(i => JiraGenerator.QueriedProjects.Contains(i.Project) && i.Updated >= from && i.Updated <= to)
            .OrderBy(i => i.Updated).ThenBy(i => i.Id).Select(i => i.Key).ToList();
        Assert.True(expected.Count > 20);
        Assert.Equal(expected, keys);
    }

    [Fact]
    public async Task SearchJql_DefaultFields_ReturnsIdsOnly()
    {
        var body = await JsonAsync(Jira("jira/rest/api/3/search/jql?jql=" + Uri.EscapeDataString("project = AIP")));
        var first = body.GetProperty("issues")[0];
        Assert.True(first.TryGetProperty("id", out _));
        Assert.False(first.TryGetProperty("fields", out _));
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("ORDER BY updated", HttpStatusCode.BadRequest)]
    [InlineData("nosuchfield = 1", HttpStatusCode.BadRequest)]
    [InlineData("project = TEST", HttpStatusCode.OK)]
    public async Task SearchJql_Restriction_UnboundedOrUnknownRejected(string jql, HttpStatusCode expected)
    {
        using var response = await Http.SendAsync(Jira("jira/rest/api/3/search/jql?jql=" + Uri.EscapeDataString(jql)));
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Search_RemovedEndpoint_Returns410()
    {
        using var response = await Http.SendAsync(Jira("jira/rest/api/3/search?jql=project%20%3D%20AIP"));
        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
    }

    [Fact]
    public async Task UsersDelta_WithToken_PagesToADeltaLink()
    {
        using var tokenResponse = await Http.PostAsync($"login/{Credentials.GraphTenant}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = Credentials.GraphClientId,
            ["client_secret"] = Credentials.GraphClientSecret,
            ["scope"] = "https://graph.microsoft.com/.default",
        }));
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        var count = 0;
        string? link = new Uri(Sim.BaseUrl, "graph/v1.0/users/delta?$select=id,mail,department&$expand=manager($select=id)").AbsoluteUri;
        string? delta = null;
        while (link is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, link);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var body = await JsonAsync(request);
            count += body.GetProperty("value").GetArrayLength();
            Assert.All(body.GetProperty("value").EnumerateArray(), u => Assert.False(u.TryGetProperty("jobTitle", out _)));
            link = body.TryGetProperty("@odata.nextLink", out var next) ? next.GetString() : null;
            delta = body.TryGetProperty("@odata.deltaLink", out var d) ? d.GetString() : delta;
        }

        Assert.Equal(Sim.Simulation.Graph.Users.Count, count);
        Assert.StartsWith(Sim.BaseUrl.AbsoluteUri, delta, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lrs/xapi/statements")]
    [InlineData("n8n/api/v1/executions")]
    [InlineData("jira/rest/api/3/search/jql?jql=project%20%3D%20AIP")]
    [InlineData("graph/v1.0/users/delta")]
    public async Task VendorEndpoints_WithoutCredentials_Return401(string url)
    {
        using var response = await Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task VendorEndpoints_WrongCredentials_Return401()
    {
        var wrong = new HttpRequestMessage(HttpMethod.Get, "lrs/xapi/statements");
        wrong.Headers.Authorization = Basic(Credentials.LrsUsername, "nope");
        wrong.Headers.Add("X-Experience-API-Version", "1.0.3");
        using var lrs = await Http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, lrs.StatusCode);

        var key = new HttpRequestMessage(HttpMethod.Get, "n8n/api/v1/workflows");
        key.Headers.Add("X-N8N-API-KEY", "nope");
        using var n8n = await Http.SendAsync(key);
        Assert.Equal(HttpStatusCode.Unauthorized, n8n.StatusCode);

        using var token = await Http.PostAsync($"login/{Credentials.GraphTenant}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = Credentials.GraphClientId,
            ["client_secret"] = "nope",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
    }

    [Fact]
    public async Task Statements_WithoutVersionHeader_Returns400()
    {
        var r = new HttpRequestMessage(HttpMethod.Get, "lrs/xapi/statements");
        r.Headers.Authorization = Basic(Credentials.LrsUsername, Credentials.LrsPassword);
        using var response = await Http.SendAsync(r);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("429", HttpStatusCode.TooManyRequests)]
    [InlineData("503", HttpStatusCode.ServiceUnavailable)]
    [InlineData("500", HttpStatusCode.InternalServerError)]
    public async Task FaultHeader_ErrorStatus_IsAnsweredWithRetryAfterWhereTheVendorsSendIt(string fault, HttpStatusCode expected)
    {
        using var request = N8n("n8n/api/v1/workflows");
        request.Headers.Add(FaultMiddleware.Header, fault);
        using var response = await Http.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected != HttpStatusCode.InternalServerError, response.Headers.RetryAfter is not null);
    }

    [Fact]
    public async Task FaultQuery_Malformed_ReturnsTruncatedJson()
    {
        using var response = await Http.SendAsync(Jira("jira/rest/api/3/search/jql?simulator-fault=malformed&fields=summary&jql=project%20%3D%20AIP"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
    }

    [Fact]
    public async Task FaultHeader_Slow_DelaysTheResponse()
    {
        using var request = N8n("n8n/api/v1/projects");
        request.Headers.Add(FaultMiddleware.Header, "slow");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= Sim.Options.Faults.SlowDelay - TimeSpan.FromMilliseconds(50), watch.Elapsed.ToString());
    }

    [Fact]
    public async Task GroundTruth_Endpoint_ServesTheExportFiles()
    {
        var events = await Http.GetStringAsync("ground-truth/events.jsonl");
        Assert.Equal(Sim.Simulation.Truth.Events.Count, events.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        using var missing = await Http.GetAsync("ground-truth/nothing.txt");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}

public sealed class ConfiguredFaultTests
{
    [Fact]
    public async Task RateLimitEvery_Configured_BurstsOf429WithRetryAfter()
    {
        var options = TestCompany.Options(employees: 30, days: 30);
        options.Faults.RateLimitEvery = 3;
        options.Faults.RateLimitBurst = 2;
        options.Faults.RetryAfterSeconds = 7;
        await using var sim = await TestCompany.StartAsync(options);
        using var http = new HttpClient { BaseAddress = sim.BaseUrl };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "n8n/api/v1/projects");
            request.Headers.Add("X-N8N-API-KEY", options.Credentials.N8nApiKey);
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
            }
        }

        var ok = HttpStatusCode.OK;
        var limited = HttpStatusCode.TooManyRequests;
        Assert.Equal([ok, ok, limited, limited, ok, limited, limited], statuses);
    }

    [Fact]
    public async Task StartAsync_InvalidOptions_FailsNamingTheSetting()
    {
        var options = TestCompany.Options();
        options.TimeZone = "Mars/Olympus";
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestCompany.StartAsync(options));
        Assert.Contains("Simulator:TimeZone", error.Message, StringComparison.Ordinal);
    }
}
