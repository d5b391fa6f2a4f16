using System.Globalization;
using Metrics.Simulator.Generation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Metrics.Simulator.Vendors;

/// <summary>
/// Microsoft Graph <c>/graph/v1.0/users/delta</c> with a bearer token from the client-credentials endpoint
/// <c>/login/{tenant}/oauth2/v2.0/token</c> (also at <c>/graph/oauth2/v2.0/token</c>). The first round pages with
/// absolute <c>@odata.nextLink</c>s and ends with an <c>@odata.deltaLink</c>; following that link reports no changes.
/// </summary>
public static class MicrosoftGraph
{
    public const string Prefix = "/graph";
    public const int PageSize = 100;

    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/login/{tenant}/oauth2/v2.0/token", (HttpContext c, string tenant) => TokenAsync(c, tenant));
        app.MapPost(Prefix + "/oauth2/v2.0/token", (HttpContext c) => TokenAsync(c, null));
        app.MapGet(Prefix + "/v1.0/users/delta", DeltaAsync);
    }

    /// <summary>The access token the simulator issues for its configured client (stable, so tests can use it directly).</summary>
    public static string AccessToken(SimulatorCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return "sim." + VendorHttp.Fingerprint(credentials.GraphTenant + "|" + credentials.GraphClientId + "|" + credentials.GraphClientSecret);
    }

    private static async Task TokenAsync(HttpContext c, string? tenant)
    {
        var credentials = c.RequestServices.GetRequiredService<IOptions<SimulatorOptions>>().Value.Credentials;
        if (!c.Request.HasFormContentType)
        {
            await OAuthError(c, 400, "invalid_request", "AADSTS900144: The request body must contain the following parameter: 'grant_type'.");
            return;
        }

        var form = await c.Request.ReadFormAsync(c.RequestAborted);
        if (tenant is not null && !string.Equals(tenant, credentials.GraphTenant, StringComparison.OrdinalIgnoreCase))
        {
            await OAuthError(c, 400, "invalid_request", "AADSTS90002: Tenant not found.");
            return;
        }

        if (form["grant_type"].ToString() != "client_credentials")
        {
            await OAuthError(c, 400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
            return;
        }

        if (!VendorHttp.Same(form["client_id"].ToString(), credentials.GraphClientId) || !VendorHttp.Same(form["client_secret"].ToString(), credentials.GraphClientSecret))
        {
            await OAuthError(c, 401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
            return;
        }

        await VendorHttp.JsonAsync(c, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("token_type", "Bearer");
            w.WriteNumber("expires_in", 3599);
            w.WriteNumber("ext_expires_in", 3599);
            w.WriteString("access_token", AccessToken(credentials));
            w.WriteEndObject();
        });
    }

    private static async Task DeltaAsync(HttpContext c)
    {
        var credentials = c.RequestServices.GetRequiredService<IOptions<SimulatorOptions>>().Value.Credentials;
        if (!VendorHttp.Same(c.Request.Headers.Authorization.ToString(), "Bearer " + AccessToken(credentials)))
        {
            await VendorHttp.JsonAsync(c, 401, w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("error");
                w.WriteString("code", "InvalidAuthenticationToken");
                w.WriteString("message", "Access token is empty or invalid.");
                w.WriteEndObject();
                w.WriteEndObject();
            });
            return;
        }

        var q = c.Request.Query;
        var self = c.Request.Scheme + "://" + c.Request.Host + c.Request.PathBase + c.Request.Path;
        var sim = c.RequestServices.GetRequiredService<Simulation>();
        var select = q["$select"].ToString();
        var expand = q["$expand"].ToString();
        var users = sim.Graph.Users;
        int offset;
        if (q["$deltatoken"].Count > 0)
        {
            // Nothing changes in a generated company: a delta round reports no changes and hands back the same link.
            offset = users.Count;
        }
        else if (VendorHttp.Untoken(q["$skiptoken"].ToString()) is { } skip)
        {
            var parts = skip.Split('|');
            if (parts.Length != 3 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out offset))
            {
                await VendorHttp.JsonAsync(c, 400, w =>
                {
                    w.WriteStartObject();
                    w.WriteStartObject("error");
                    w.WriteString("code", "BadRequest");
                    w.WriteString("message", "Invalid skip token.");
                    w.WriteEndObject();
                    w.WriteEndObject();
                });
                return;
            }

            select = parts[1];
            expand = parts[2];
        }
        else
        {
            offset = 0;
        }

        var properties = select.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var manager = properties.Contains("manager") || expand.StartsWith("manager", StringComparison.OrdinalIgnoreCase);
        var page = users.Skip(offset).Take(PageSize).ToList();
        var next = offset + page.Count;
        var state = select + "|" + expand;
        await VendorHttp.JsonAsync(c, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#users(" + select + ")");
            w.WriteStartArray("value");
            foreach (var user in page)
            {
                w.WriteStartObject();
                foreach (var (name, value) in user)
                {
                    // The expanded manager comes as the documentation's `manager` object or as a `manager@delta` list.
                    var keep = name is "id" or "@odata.type" || (name is "manager@delta" or "manager" ? manager : properties.Count == 0 || properties.Contains(name));
                    if (!keep)
                    {
                        continue;
                    }

                    VendorHttp.WriteProperty(w, name, value);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (next < users.Count)
            {
                w.WriteString("@odata.nextLink", self + "?$skiptoken=" + VendorHttp.Token(next.ToString(CultureInfo.InvariantCulture) + "|" + state));
            }
            else
            {
                w.WriteString("@odata.deltaLink", self + "?$deltatoken=" + VendorHttp.Token("delta|" + sim.Options.Seed.ToString(CultureInfo.InvariantCulture)));
            }

            w.WriteEndObject();
        });
    }

    private static Task OAuthError(HttpContext c, int status, string error, string description) =>
        VendorHttp.JsonAsync(c, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", error);
            w.WriteString("error_description", description);
            w.WriteStartArray("error_codes");
            w.WriteNumberValue(int.Parse(description.AsSpan(6, description.IndexOf(':', StringComparison.Ordinal) - 6), CultureInfo.InvariantCulture));
            w.WriteEndArray();
            w.WriteEndObject();
        });
}
