using System.Globalization;
using Metrics.Simulator.Generation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Metrics.Simulator.Vendors;

/// <summary>
/// The AI tools in their wire formats, in the shapes of tests/vendor-pages (m365copilot, githubcopilot): the Microsoft
/// Graph report <c>/graph/beta/reports/getMicrosoft365CopilotUsageUserDetail(period='…')?$format=application/json</c> (the
/// Graph token of <see cref="MicrosoftGraph"/>, <c>@odata.nextLink</c> paging) and GitHub's
/// <c>/github/orgs/{org}/copilot/billing/seats</c> (Bearer token, <c>X-GitHub-Api-Version</c>, <c>Link</c> paging).
/// </summary>
public static class CopilotVendors
{
    public const string GitHubPrefix = "/github";
    public const string ApiVersion = "2022-11-28";
    public const int ReportPageSize = 100;

    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(MicrosoftGraph.Prefix + "/beta/reports/{function}", ReportAsync);
        app.MapGet(GitHubPrefix + "/orgs/{org}/copilot/billing/seats", SeatsAsync);
    }

    private static async Task ReportAsync(HttpContext c, string function)
    {
        var options = c.RequestServices.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        if (!VendorHttp.Same(c.Request.Headers.Authorization.ToString(), "Bearer " + MicrosoftGraph.AccessToken(options.Credentials)))
        {
            await GraphError(c, 401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
            return;
        }

        const string Name = "getMicrosoft365CopilotUsageUserDetail(period='";
        var period = function.StartsWith(Name, StringComparison.Ordinal) && function.EndsWith("')", StringComparison.Ordinal) ? function[Name.Length..^2] : null;
        if (period is not ("D7" or "D30" or "D90" or "D180" or "ALL"))
        {
            await GraphError(c, 400, "BadRequest", "Invalid report function or period.");
            return;
        }

        var sim = c.RequestServices.GetRequiredService<Simulation>();
        var rows = sim.Copilot.UsageRows;
        var offset = int.TryParse(VendorHttp.Untoken(c.Request.Query["$skiptoken"].ToString()), NumberStyles.None, CultureInfo.InvariantCulture, out var skip) ? skip : 0;
        var page = rows.Skip(offset).Take(ReportPageSize).ToList();
        var self = c.Request.Scheme + "://" + c.Request.Host + c.Request.PathBase + c.Request.Path;
        await VendorHttp.JsonAsync(c, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("@odata.context", "https://graph.microsoft.com/beta/reports/" + function + "?$format=application/json");
            if (offset + page.Count < rows.Count)
            {
                w.WriteString("@odata.nextLink", self + "?$format=application/json&$skiptoken=" + VendorHttp.Token((offset + page.Count).ToString(CultureInfo.InvariantCulture)));
            }

            w.WriteStartArray("value");
            foreach (var row in page)
            {
                w.WriteStartObject();
                foreach (var (name, value) in row)
                {
                    VendorHttp.WriteProperty(w, name, value);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task SeatsAsync(HttpContext c, string org)
    {
        var options = c.RequestServices.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        if (!VendorHttp.Same(c.Request.Headers.Authorization.ToString(), "Bearer " + options.Credentials.GitHubToken))
        {
            await GitHubError(c, 401, "Bad credentials");
            return;
        }

        if (c.Request.Headers["X-GitHub-Api-Version"].ToString() != ApiVersion)
        {
            await GitHubError(c, 400, "Unsupported 'X-GitHub-Api-Version' header.");
            return;
        }

        if (!string.Equals(org, CopilotGenerator.Organization, StringComparison.OrdinalIgnoreCase))
        {
            await GitHubError(c, 404, "Not Found");
            return;
        }

        var q = c.Request.Query;
        var perPage = int.TryParse(q["per_page"], NumberStyles.None, CultureInfo.InvariantCulture, out var pp) ? Math.Clamp(pp, 1, 100) : 50;
        var pageNumber = int.TryParse(q["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var pn) && pn > 0 ? pn : 1;
        var seats = c.RequestServices.GetRequiredService<Simulation>().Copilot.Seats;
        var pages = Math.Max(1, (seats.Count + perPage - 1) / perPage);
        var self = c.Request.Scheme + "://" + c.Request.Host + c.Request.PathBase + c.Request.Path;
        string Link(int n, string rel) => string.Create(CultureInfo.InvariantCulture, $"<{self}?per_page={perPage}&page={n}>; rel=\"{rel}\"");
        var links = new List<string>();
        if (pageNumber < pages)
        {
            links.Add(Link(pageNumber + 1, "next"));
            links.Add(Link(pages, "last"));
        }

        if (pageNumber > 1)
        {
            links.Add(Link(pageNumber - 1, "prev"));
            links.Add(Link(1, "first"));
        }

        if (links.Count > 0)
        {
            c.Response.Headers.Link = string.Join(", ", links);
        }

        await VendorHttp.JsonAsync(c, 200, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("total_seats", seats.Count);
            w.WriteStartArray("seats");
            foreach (var seat in seats.Skip((pageNumber - 1) * perPage).Take(perPage))
            {
                w.WriteStartObject();
                foreach (var (name, value) in seat)
                {
                    VendorHttp.WriteProperty(w, name, value);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static Task GraphError(HttpContext c, int status, string code, string message) =>
        VendorHttp.JsonAsync(c, status, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("code", code);
            w.WriteString("message", message);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    private static Task GitHubError(HttpContext c, int status, string message) =>
        VendorHttp.JsonAsync(c, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteString("documentation_url", "https://docs.github.com/rest/copilot/copilot-user-management");
            w.WriteString("status", status.ToString(CultureInfo.InvariantCulture));
            w.WriteEndObject();
        });
}
