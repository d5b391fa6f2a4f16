using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Metrics.Worker.Tests.Cli.Vendors;

/// <summary>A vendor record and the server clock it is filtered and ordered by (xAPI <c>stored</c>, Jira <c>updated</c>).</summary>
public sealed record Timed(DateTimeOffset Clock, JsonObject Json);

/// <summary>What the four fake vendors hold. Everything is served exactly as given, in the vendors' wire formats.</summary>
public sealed class VendorData
{
    /// <summary>Graph users; the first <see cref="GraphFirstPage"/> come on the first delta page, the rest on the second.</summary>
    public List<JsonObject> GraphUsers { get; } = [];

    public int GraphFirstPage { get; set; } = 3;

    public List<Timed> Statements { get; } = [];

    public List<JsonObject> Workflows { get; } = [];

    /// <summary>n8n executions; served newest first (id descending), as n8n lists them.</summary>
    public List<JsonObject> Executions { get; } = [];

    public Dictionary<string, List<JsonObject>> ProjectMembers { get; } = new(StringComparer.Ordinal);

    public List<Timed> Issues { get; } = [];
}

/// <summary>The credentials the fake vendors accept; a request without them gets the vendor's 401.</summary>
public static class VendorCredentials
{
    public const string GraphTenant = "9b1c2f3e-0d4a-4c55-8e21-7a6f5b4c3d2e";
    public const string GraphClientId = "4f8e2a1b-6c3d-4e5f-9a0b-1c2d3e4f5a6b";
    public const string GraphClientSecret = "graph-app-secret";
    public const string GraphAccessToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.fake.token";
    public const string LrsKey = "metrics-reader";
    public const string LrsSecret = "lrs-secret";
    public const string N8nApiKey = "n8n_api_0c1d2e3f";
    public const string JiraEmail = "metrics-bot@example.com";
    public const string JiraApiToken = "ATATT3xFfGF0-jira-token";
}

/// <summary>
/// One in-process Kestrel server on 127.0.0.1 serving Microsoft Graph (token + users delta), an xAPI LRS
/// (<c>/xapi/statements</c> with <c>more</c> links), the n8n public API (<c>/api/v1</c>, cursor paging) and Jira Cloud
/// (<c>/rest/api/3/search/jql</c> with <c>nextPageToken</c>). Each checks its credentials and honours the filters the
/// connectors send (xAPI <c>since</c>/<c>until</c>, the JQL <c>updated</c> bounds, Jira's <c>fields</c> list).
/// </summary>
public sealed partial class LoopbackVendors : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly VendorData _data;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<string, (int Limit, List<JsonObject> Remaining)> _more = new(StringComparer.Ordinal);

    private LoopbackVendors(WebApplication app, VendorData data, TimeProvider clock)
    {
        _app = app;
        _data = data;
        _clock = clock;
    }

    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Every request as <c>METHOD path?query</c>, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public string Base => BaseUri.AbsoluteUri.TrimEnd('/');

    public static async Task<LoopbackVendors> StartAsync(VendorData data, TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var vendors = new LoopbackVendors(app, data, clock);
        app.Run(vendors.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        vendors.BaseUri = new Uri(address);
        return vendors;
    }

    public IReadOnlyList<string> RequestsTo(string pathPart) =>
        Requests.Where(r => r.Contains(pathPart, StringComparison.Ordinal)).ToArray();

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        Requests.Enqueue($"{request.Method} {path}{request.QueryString.Value}");
        if (path == $"/{VendorCredentials.GraphTenant}/oauth2/v2.0/token" && HttpMethods.IsPost(request.Method))
        {
            await TokenAsync(context);
        }
        else if (path == "/v1.0/users/delta")
        {
            await GraphDeltaAsync(context);
        }
        else if (path == "/xapi/statements" || path.StartsWith("/xapi/statements/more/", StringComparison.Ordinal))
        {
            await StatementsAsync(context, path);
        }
        else if (path.StartsWith("/api/v1/", StringComparison.Ordinal))
        {
            await N8nAsync(context, path);
        }
        else if (path == "/rest/api/3/search/jql")
        {
            await JiraSearchAsync(context);
        }
        else
        {
            await JsonAsync(context, """{"error":"not found"}""", 404);
        }
    }

    // ---- Microsoft identity platform and Graph ----

    private static async Task TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["grant_type"] != "client_credentials" || form["client_id"] != VendorCredentials.GraphClientId
            || form["client_secret"] != VendorCredentials.GraphClientSecret || form["scope"] != "https://graph.microsoft.com/.default")
        {
            await JsonAsync(context, """{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}""", 401);
            return;
        }

        await JsonAsync(context, "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,\"access_token\":\"" + VendorCredentials.GraphAccessToken + "\"}");
    }

    private async Task GraphDeltaAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString() != "Bearer " + VendorCredentials.GraphAccessToken)
        {
            await JsonAsync(context, """{"error":{"code":"InvalidAuthenticationToken","message":"Access token is empty."}}""", 401);
            return;
        }

        var q = context.Request.Query;
        var page = new JsonObject { ["@odata.context"] = "https://graph.microsoft.com/v1.0/$metadata#users(id,mail,userPrincipalName,department,jobTitle,employeeId,accountEnabled)" };
        IEnumerable<JsonObject> users;
        if (q.ContainsKey("$deltatoken"))
        {
            users = [];
            page["@odata.deltaLink"] = Base + "/v1.0/users/delta?$deltatoken=d2";
        }
        else if (q["$skiptoken"] == "p2")
        {
            users = _data.GraphUsers.Skip(_data.GraphFirstPage);
            page["@odata.deltaLink"] = Base + "/v1.0/users/delta?$deltatoken=d1";
        }
        else if (q["$select"].ToString().Contains("department", StringComparison.Ordinal) && q["$expand"] == "manager($select=id)")
        {
            users = _data.GraphUsers.Take(_data.GraphFirstPage);
            page["@odata.nextLink"] = Base + "/v1.0/users/delta?$skiptoken=p2";
        }
        else
        {
            await JsonAsync(context, """{"error":{"code":"BadRequest","message":"Unexpected delta query."}}""", 400);
            return;
        }

        page["value"] = new JsonArray(users.Select(u => (JsonNode)u.DeepClone()).ToArray());
        await JsonAsync(context, page.ToJsonString());
    }

    // ---- xAPI LRS ----

    private async Task StatementsAsync(HttpContext context, string path)
    {
        var request = context.Request;
        if (request.Headers.Authorization.ToString() != Basic(VendorCredentials.LrsKey, VendorCredentials.LrsSecret))
        {
            await JsonAsync(context, """{"error":"Unauthorized"}""", 401);
            return;
        }

        if (string.IsNullOrEmpty(request.Headers["X-Experience-API-Version"]))
        {
            await JsonAsync(context, """{"error":"X-Experience-API-Version header missing"}""", 400);
            return;
        }

        List<JsonObject> rest;
        var limit = 100;
        if (path.StartsWith("/xapi/statements/more/", StringComparison.Ordinal))
        {
            if (!_more.TryRemove(path["/xapi/statements/more/".Length..], out var pending))
            {
                await JsonAsync(context, """{"error":"more link expired"}""", 400);
                return;
            }

            (limit, rest) = pending;
        }
        else
        {
            var q = request.Query;
            var since = q.ContainsKey("since") ? DateTimeOffset.Parse(q["since"]!, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
            var until = q.ContainsKey("until") ? DateTimeOffset.Parse(q["until"]!, CultureInfo.InvariantCulture) : DateTimeOffset.MaxValue;
            limit = int.Parse(q["limit"]!, CultureInfo.InvariantCulture);
            if (q["ascending"] != "true")
            {
                await JsonAsync(context, """{"error":"this test LRS only serves ascending=true"}""", 400);
                return;
            }

            rest = _data.Statements.Where(s => s.Clock > since && s.Clock <= until).OrderBy(s => s.Clock).Select(s => s.Json).ToList();
        }

        var pageItems = rest.Take(limit).Select(s => (JsonNode)s.DeepClone()).ToArray();
        var remaining = rest.Skip(limit).ToList();
        var more = string.Empty;
        if (remaining.Count > 0)
        {
            var token = Guid.NewGuid().ToString("N");
            _more[token] = (limit, remaining);
            more = "/xapi/statements/more/" + token;
        }

        context.Response.Headers["X-Experience-API-Version"] = "1.0.3";
        context.Response.Headers["X-Experience-API-Consistent-Through"] = _clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        await JsonAsync(context, new JsonObject { ["statements"] = new JsonArray(pageItems), ["more"] = more }.ToJsonString());
    }

    // ---- n8n public API ----

    private async Task N8nAsync(HttpContext context, string path)
    {
        if (context.Request.Headers["X-N8N-API-KEY"] != VendorCredentials.N8nApiKey)
        {
            await JsonAsync(context, """{"message":"'X-N8N-API-KEY' header required"}""", 401);
            return;
        }

        IReadOnlyList<JsonObject> items;
        if (path == "/api/v1/workflows")
        {
            items = _data.Workflows;
        }
        else if (path == "/api/v1/executions")
        {
            items = _data.Executions.OrderByDescending(e => (int)e["id"]!).ToList();
        }
        else if (ProjectUsers().Match(path) is { Success: true } m && _data.ProjectMembers.TryGetValue(m.Groups[1].Value, out var members))
        {
            items = members;
        }
        else
        {
            await JsonAsync(context, """{"message":"not found"}""", 404);
            return;
        }

        var q = context.Request.Query;
        var limit = q.ContainsKey("limit") ? int.Parse(q["limit"]!, CultureInfo.InvariantCulture) : 100;
        var offset = q.ContainsKey("cursor") ? Offset(q["cursor"]!) : 0;
        var page = items.Skip(offset).Take(limit).Select(i => (JsonNode)i.DeepClone()).ToArray();
        var next = offset + limit < items.Count ? Cursor(offset + limit) : null;
        await JsonAsync(context, new JsonObject { ["data"] = new JsonArray(page), ["nextCursor"] = next }.ToJsonString());
    }

    [GeneratedRegex("^/api/v1/projects/([^/]+)/users$")]
    private static partial Regex ProjectUsers();

    // ---- Jira Cloud ----

    private async Task JiraSearchAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString() != Basic(VendorCredentials.JiraEmail, VendorCredentials.JiraApiToken))
        {
            await JsonAsync(context, """{"errorMessages":["You are not authenticated. Authentication required to perform this operation."],"errors":{}}""", 401);
            return;
        }

        var q = context.Request.Query;
        var jql = q["jql"].ToString();
        var bounds = JqlBounds().Match(jql);
        if (!bounds.Success || !jql.EndsWith("ORDER BY updated ASC, id ASC", StringComparison.Ordinal))
        {
            await JsonAsync(context, """{"errorMessages":["This test Jira expects epoch-millisecond updated bounds and ORDER BY updated ASC, id ASC."],"errors":{}}""", 400);
            return;
        }

        var from = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(bounds.Groups[1].Value, CultureInfo.InvariantCulture));
        var to = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(bounds.Groups[2].Value, CultureInfo.InvariantCulture));
        var fields = q["fields"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var limit = int.Parse(q["maxResults"]!, CultureInfo.InvariantCulture);
        var offset = q.ContainsKey("nextPageToken") ? Offset(q["nextPageToken"]!) : 0;
        var matching = _data.Issues.Where(i => i.Clock >= from && i.Clock <= to)
            .OrderBy(i => i.Clock).ThenBy(i => long.Parse(i.Json["id"]!.ToString(), CultureInfo.InvariantCulture)).ToList();
        var issues = matching.Skip(offset).Take(limit).Select(i => (JsonNode)OnlyFields(i.Json, fields)).ToArray();
        var page = new JsonObject { ["issues"] = new JsonArray(issues) };
        if (offset + limit < matching.Count)
        {
            page["nextPageToken"] = Cursor(offset + limit);
            page["isLast"] = false;
        }
        else
        {
            page["isLast"] = true;
        }

        await JsonAsync(context, page.ToJsonString());
    }

    /// <summary>Jira returns only the fields asked for (by default only the id).</summary>
    private static JsonObject OnlyFields(JsonObject issue, HashSet<string> fields)
    {
        var copy = (JsonObject)issue.DeepClone();
        if (copy["fields"] is JsonObject all)
        {
            foreach (var name in all.Select(p => p.Key).ToList())
            {
                if (!fields.Contains(name))
                {
                    all.Remove(name);
                }
            }
        }

        return copy;
    }

    [GeneratedRegex(@"^\(.+\) AND updated >= (\d+) AND updated <= (\d+) ORDER BY", RegexOptions.None, 1000)]
    private static partial Regex JqlBounds();

    // ---- shared ----

    private static string Basic(string user, string secret) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + secret));

    private static string Cursor(int offset) => Convert.ToBase64String(Encoding.UTF8.GetBytes("offset:" + offset.ToString(CultureInfo.InvariantCulture)));

    private static int Offset(string cursor) =>
        int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(cursor))["offset:".Length..], CultureInfo.InvariantCulture);

    private static Task JsonAsync(HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
