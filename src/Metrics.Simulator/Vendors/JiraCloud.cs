using System.Globalization;
using System.Text.Json;
using Metrics.Simulator.Generation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Metrics.Simulator.Vendors;

/// <summary>
/// Jira Cloud REST v3 issue search at <c>/jira/rest/api/3/search/jql</c> (GET and POST): Basic auth with e-mail and API
/// token, bounded JQL that is parsed and honoured, <c>fields</c> (id only by default), <c>maxResults</c> capped at 100
/// (5000 for id/key only), <c>nextPageToken</c>/<c>isLast</c> paging, times with <c>+0000</c> offsets. The removed
/// <c>/search</c> answers 410 Gone.
/// </summary>
public static class JiraCloud
{
    public const string Prefix = "/jira";

    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Prefix + "/rest/api/3/search/jql", (HttpContext c) => SearchAsync(c, FromQuery(c.Request.Query)));
        app.MapPost(Prefix + "/rest/api/3/search/jql", async (HttpContext c) =>
        {
            SearchRequest request;
            try
            {
                request = await JsonSerializer.DeserializeAsync<SearchRequest>(c.Request.Body, Web, c.RequestAborted) ?? new SearchRequest();
            }
            catch (JsonException)
            {
                await Errors(c, 400, "Invalid request payload.");
                return;
            }

            await SearchAsync(c, request);
        });
        app.MapGet(Prefix + "/rest/api/3/search", (HttpContext c) => Errors(c, 410,
            "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"));
        app.MapGet(Prefix + "/rest/api/3/myself", async (HttpContext c) =>
        {
            var o = c.RequestServices.GetRequiredService<IOptions<SimulatorOptions>>().Value;
            if (!VendorHttp.HasBasic(c.Request, o.Credentials.JiraEmail, o.Credentials.JiraApiToken))
            {
                await Errors(c, 401, "Client must be authenticated to access this resource.");
                return;
            }

            await VendorHttp.JsonAsync(c, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("accountId", "712020:metrics-bot");
                w.WriteString("emailAddress", o.Credentials.JiraEmail);
                w.WriteString("displayName", "Metrics Bot");
                w.WriteBoolean("active", true);
                w.WriteString("timeZone", o.TimeZone);
                w.WriteString("accountType", "atlassian");
                w.WriteEndObject();
            });
        });
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public sealed class SearchRequest
    {
        public string? Jql { get; set; }

        public string? NextPageToken { get; set; }

        public int? MaxResults { get; set; }

        public List<string>? Fields { get; set; }
    }

    private static SearchRequest FromQuery(IQueryCollection q) => new()
    {
        Jql = q["jql"].ToString(),
        NextPageToken = q["nextPageToken"].Count > 0 ? q["nextPageToken"].ToString() : null,
        MaxResults = int.TryParse(q["maxResults"], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : null,
        Fields = q["fields"].Count > 0 ? [.. q["fields"].SelectMany(f => (f ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))] : null,
    };

    private static async Task SearchAsync(HttpContext c, SearchRequest request)
    {
        var o = c.RequestServices.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        if (!VendorHttp.HasBasic(c.Request, o.Credentials.JiraEmail, o.Credentials.JiraApiToken))
        {
            await Errors(c, 401, "Client must be authenticated to access this resource.");
            return;
        }

        JqlQuery query;
        try
        {
            query = Jql.Parse(request.Jql, TimeZoneInfo.FindSystemTimeZoneById(o.TimeZone));
        }
        catch (JqlException ex)
        {
            await Errors(c, 400, ex.Message);
            return;
        }

        var fields = request.Fields ?? ["id"];
        var all = fields.Contains("*all") || fields.Contains("*navigable");
        var wanted = fields.Where(f => !f.StartsWith('-') && !f.StartsWith('*')).ToHashSet(StringComparer.Ordinal);
        var idOnly = !all && wanted.All(f => f is "id" or "key");
        var cap = idOnly ? 5000 : 100;
        var max = Math.Clamp(request.MaxResults ?? 50, 1, cap);
        var fingerprint = VendorHttp.Fingerprint(request.Jql ?? string.Empty);
        var offset = 0;
        if (request.NextPageToken is { } token)
        {
            var parts = VendorHttp.Untoken(token)?.Split('|');
            if (parts is not { Length: 2 } || parts[1] != fingerprint || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                await Errors(c, 400, "The provided next page token is invalid or expired.");
                return;
            }
        }

        var sim = c.RequestServices.GetRequiredService<Simulation>();
        var matching = sim.Jira.Issues.Where(query.Filter).ToList();
        matching.Sort(query.Order);
        var page = matching.Skip(offset).Take(max).ToList();
        var last = offset + page.Count >= matching.Count;
        var origin = c.Request.Scheme + "://" + c.Request.Host + c.Request.PathBase + Prefix;
        await VendorHttp.JsonAsync(c, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("issues");
            foreach (var issue in page)
            {
                w.WriteStartObject();
                w.WriteString("id", issue.Id.ToString(CultureInfo.InvariantCulture));
                if (!idOnly || wanted.Contains("key"))
                {
                    w.WriteString("expand", "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations");
                    w.WriteString("self", origin + "/rest/api/3/issue/" + issue.Id.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("key", issue.Key);
                }

                if (!idOnly)
                {
                    w.WriteStartObject("fields");
                    foreach (var (name, value) in issue.Fields)
                    {
                        if (all || wanted.Contains(name))
                        {
                            VendorHttp.WriteProperty(w, name, value);
                        }
                    }

                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (!last)
            {
                w.WriteString("nextPageToken", VendorHttp.Token((offset + page.Count).ToString(CultureInfo.InvariantCulture) + "|" + fingerprint));
            }

            w.WriteBoolean("isLast", last);
            w.WriteEndObject();
        });
    }

    private static Task Errors(HttpContext c, int status, string message) =>
        VendorHttp.JsonAsync(c, status, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("errorMessages");
            w.WriteStringValue(message);
            w.WriteEndArray();
            w.WriteStartObject("errors");
            w.WriteEndObject();
            w.WriteEndObject();
        });
}
