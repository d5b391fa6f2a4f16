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
/// The xAPI 1.0.3 Statements resource at <c>/lrs/xapi</c>: Basic auth, the version header, since (exclusive) and until
/// (inclusive) on <c>stored</c>, ascending or not, <c>verb</c>, single statements by <c>statementId</c> or
/// <c>voidedStatementId</c>, and <c>more</c> links relative to the origin. Voided statements are never listed.
/// </summary>
public static class XapiLrs
{
    public const string Prefix = "/lrs/xapi";
    public const int ServerMaxLimit = 500;

    private static readonly string[] Unsupported = ["agent", "activity", "registration", "related_activities", "related_agents", "attachments"];

    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Prefix + "/about", (HttpContext c) =>
            VendorHttp.JsonAsync(c, 200, w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("version");
                foreach (var v in new[] { "1.0.3", "1.0.2", "1.0.1", "1.0.0" })
                {
                    w.WriteStringValue(v);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }));
        app.MapGet(Prefix + "/statements", StatementsAsync);
    }

    private sealed record Cursor(long Since, long Until, string? Verb, bool Ascending, int Limit, long AfterTicks, string AfterId);

    private static async Task StatementsAsync(HttpContext context)
    {
        var sim = context.RequestServices.GetRequiredService<Simulation>();
        var credentials = context.RequestServices.GetRequiredService<IOptions<SimulatorOptions>>().Value.Credentials;
        var clock = context.RequestServices.GetRequiredService<TimeProvider>();
        var response = context.Response;
        response.Headers["X-Experience-API-Version"] = "1.0.3";
        if (!VendorHttp.HasBasic(context.Request, credentials.LrsUsername, credentials.LrsPassword))
        {
            response.Headers.WWWAuthenticate = "Basic realm=\"LRS\"";
            await Error(context, 401, "missing or wrong credentials");
            return;
        }

        var version = context.Request.Headers["X-Experience-API-Version"].ToString();
        if (!(version.StartsWith("1.0.", StringComparison.Ordinal) || version == "2.0.0"))
        {
            await Error(context, 400, "X-Experience-API-Version header missing or unsupported");
            return;
        }

        response.Headers["X-Experience-API-Consistent-Through"] = clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var q = context.Request.Query;
        if (q["statementId"].Count > 0 || q["voidedStatementId"].Count > 0)
        {
            await SingleAsync(context, sim, q);
            return;
        }

        if (Unsupported.FirstOrDefault(p => q[p].Count > 0) is { } unsupported)
        {
            await Error(context, 400, $"the simulator does not implement the '{unsupported}' filter");
            return;
        }

        Cursor cursor;
        if (q["more"].ToString() is { Length: > 0 } more)
        {
            if (VendorHttp.Untoken(more) is not { } text || Parse(text) is not { } parsed)
            {
                await Error(context, 400, "invalid or expired 'more' token");
                return;
            }

            cursor = parsed;
        }
        else
        {
            if (!TryTime(q["since"], long.MinValue, out var since) || !TryTime(q["until"], long.MaxValue, out var until))
            {
                await Error(context, 400, "since and until must be ISO 8601 timestamps");
                return;
            }

            var limit = 0;
            if (q["limit"].Count > 0 && (!int.TryParse(q["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 0))
            {
                await Error(context, 400, "limit must be a non-negative integer");
                return;
            }

            var ascending = q["ascending"].ToString();
            if (ascending.Length > 0 && ascending is not ("true" or "false"))
            {
                await Error(context, 400, "ascending must be true or false");
                return;
            }

            var verb = q["verb"].ToString();
            cursor = new Cursor(since, until, verb.Length == 0 ? null : verb, ascending == "true",
                limit == 0 || limit > ServerMaxLimit ? ServerMaxLimit : limit, ascending == "true" ? long.MinValue : long.MaxValue, string.Empty);
        }

        var page = Select(sim.Lrs.Statements, cursor);
        var hasMore = page.Count > cursor.Limit;
        if (hasMore)
        {
            page.RemoveAt(page.Count - 1);
        }

        var next = hasMore
            ? context.Request.PathBase + context.Request.Path + "?more=" + VendorHttp.Token(Format(cursor with { AfterTicks = page[^1].Stored.UtcTicks, AfterId = page[^1].Id }))
            : string.Empty;
        if (page.Count > 0)
        {
            response.Headers.LastModified = page.Max(s => s.Stored).ToString("R", CultureInfo.InvariantCulture);
        }

        await VendorHttp.JsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("statements");
            foreach (var s in page)
            {
                w.WriteRawValue(s.Json, skipInputValidation: true);
            }

            w.WriteEndArray();
            w.WriteString("more", next);
            w.WriteEndObject();
        });
    }

    private static async Task SingleAsync(HttpContext context, Simulation sim, IQueryCollection q)
    {
        if (q.Count != 1 && !(q.Count == 2 && q["format"].Count > 0))
        {
            await Error(context, 400, "statementId and voidedStatementId cannot be combined with other parameters");
            return;
        }

        var voided = q["voidedStatementId"].Count > 0;
        var id = voided ? q["voidedStatementId"].ToString() : q["statementId"].ToString();
        var found = sim.Lrs.Statements.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase) && s.Voided == voided);
        if (found is null)
        {
            await Error(context, 404, "no such statement");
            return;
        }

        await VendorHttp.JsonAsync(context, 200, w => w.WriteRawValue(found.Json, skipInputValidation: true));
    }

    /// <summary>Up to limit + 1 statements after the cursor position, by binary search on the (stored, id) order.</summary>
    private static List<XapiRecord> Select(IReadOnlyList<XapiRecord> all, Cursor c)
    {
        var page = new List<XapiRecord>(Math.Min(c.Limit + 1, 1024));
        bool Wanted(XapiRecord s) => !s.Voided && (c.Verb is null || s.Verb == c.Verb);
        if (c.Ascending)
        {
            var i = Math.Max(FirstWhere(all, s => Compare(s, c.AfterTicks, c.AfterId) > 0), FirstWhere(all, s => s.Stored.UtcTicks > c.Since));
            for (; i < all.Count && all[i].Stored.UtcTicks <= c.Until && page.Count <= c.Limit; i++)
            {
                if (Wanted(all[i]))
                {
                    page.Add(all[i]);
                }
            }
        }
        else
        {
            var i = Math.Min(FirstWhere(all, s => Compare(s, c.AfterTicks, c.AfterId) >= 0), FirstWhere(all, s => s.Stored.UtcTicks > c.Until)) - 1;
            for (; i >= 0 && all[i].Stored.UtcTicks > c.Since && page.Count <= c.Limit; i--)
            {
                if (Wanted(all[i]))
                {
                    page.Add(all[i]);
                }
            }
        }

        return page;
    }

    /// <summary>The first index where a predicate that is monotone over the order becomes true (Count when never).</summary>
    private static int FirstWhere(IReadOnlyList<XapiRecord> all, Func<XapiRecord, bool> predicate)
    {
        int lo = 0, hi = all.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (predicate(all[mid]))
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    private static int Compare(XapiRecord s, long ticks, string id)
    {
        var c = s.Stored.UtcTicks.CompareTo(ticks);
        return c != 0 ? c : string.CompareOrdinal(s.Id, id);
    }

    private static bool TryTime(Microsoft.Extensions.Primitives.StringValues value, long fallback, out long ticks)
    {
        ticks = fallback;
        if (value.Count == 0 || value.ToString().Length == 0)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(value.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
        {
            ticks = t.UtcTicks;
            return true;
        }

        return false;
    }

    private static string Format(Cursor c) => JsonSerializer.Serialize(new[]
    {
        c.Since.ToString(CultureInfo.InvariantCulture), c.Until.ToString(CultureInfo.InvariantCulture), c.Verb ?? string.Empty,
        c.Ascending ? "1" : "0", c.Limit.ToString(CultureInfo.InvariantCulture), c.AfterTicks.ToString(CultureInfo.InvariantCulture), c.AfterId,
    });

    private static Cursor? Parse(string text)
    {
        try
        {
            var p = JsonSerializer.Deserialize<string[]>(text);
            return p is { Length: 7 }
                ? new Cursor(long.Parse(p[0], CultureInfo.InvariantCulture), long.Parse(p[1], CultureInfo.InvariantCulture), p[2].Length == 0 ? null : p[2],
                    p[3] == "1", int.Parse(p[4], CultureInfo.InvariantCulture), long.Parse(p[5], CultureInfo.InvariantCulture), p[6])
                : null;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException)
        {
            return null;
        }
    }

    private static Task Error(HttpContext context, int status, string message) =>
        VendorHttp.JsonAsync(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", message);
            w.WriteEndObject();
        });
}
