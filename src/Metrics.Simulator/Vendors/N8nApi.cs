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
/// The n8n public API v1 at <c>/n8n/api/v1</c>: <c>X-N8N-API-KEY</c>, <c>{data, nextCursor}</c> pages with an opaque
/// base64 cursor (limit 1..250, default 100), workflows with nodes and owner shares, projects and their users, users, and
/// executions newest first (id descending) with status and workflowId filters.
/// </summary>
public static class N8nApi
{
    public const string Prefix = "/n8n/api/v1";

    public static void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Prefix + "/workflows", (HttpContext c) => ListAsync(c, s => s.N8n.Workflows.Where(w => Matches(c, w)).ToList(), WriteWorkflow));
        app.MapGet(Prefix + "/executions", ExecutionsAsync);
        app.MapGet(Prefix + "/projects", (HttpContext c) => ListAsync(c, s => s.N8n.Projects, (w, p, _) =>
        {
            w.WriteStartObject();
            w.WriteString("id", p.Id);
            w.WriteString("name", p.Name);
            w.WriteString("type", p.Type);
            w.WriteEndObject();
        }));
        app.MapGet(Prefix + "/projects/{projectId}/users", (HttpContext c, string projectId) => ListAsync(c,
            s => s.N8n.Projects.FirstOrDefault(p => p.Id == projectId)?.Members,
            (w, m, _) =>
            {
                w.WriteStartObject();
                w.WriteString("id", m.User.Id);
                w.WriteString("email", m.User.Email);
                w.WriteString("firstName", m.User.FirstName);
                w.WriteString("lastName", m.User.LastName);
                w.WriteString("role", m.Role);
                w.WriteEndObject();
            }));
        app.MapGet(Prefix + "/users", (HttpContext c) => ListAsync(c, s => s.N8n.Users, (w, u, _) =>
        {
            w.WriteStartObject();
            w.WriteString("id", u.Id);
            w.WriteString("email", u.Email);
            w.WriteString("firstName", u.FirstName);
            w.WriteString("lastName", u.LastName);
            w.WriteBoolean("isPending", false);
            w.WriteString("createdAt", Time(u.CreatedAt));
            w.WriteString("updatedAt", Time(u.CreatedAt));
            w.WriteString("role", u.Role);
            w.WriteEndObject();
        }));
    }

    public static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static bool Matches(HttpContext c, N8nWorkflow w)
    {
        var q = c.Request.Query;
        return (q["projectId"].Count == 0 || w.Project.Id == q["projectId"].ToString())
            && (q["active"].Count == 0 || string.Equals(w.Active ? "true" : "false", q["active"].ToString(), StringComparison.Ordinal))
            && (q["name"].Count == 0 || w.Name == q["name"].ToString());
    }

    private static void WriteWorkflow(Utf8JsonWriter w, N8nWorkflow wf, HttpContext _)
    {
        w.WriteStartObject();
        w.WriteString("id", wf.Id);
        w.WriteString("name", wf.Name);
        w.WriteBoolean("active", wf.Active);
        w.WriteBoolean("isArchived", false);
        w.WriteString("createdAt", Time(wf.CreatedAt));
        w.WriteString("updatedAt", Time(wf.UpdatedAt));
        w.WriteString("versionId", wf.VersionId);
        w.WriteStartArray("nodes");
        var x = 0;
        foreach (var n in wf.Nodes)
        {
            w.WriteStartObject();
            w.WriteString("id", n.Id);
            w.WriteString("name", n.Name);
            w.WriteString("type", n.Type);
            w.WriteNumber("typeVersion", 1);
            w.WriteStartArray("position");
            w.WriteNumberValue(x += 220);
            w.WriteNumberValue(300);
            w.WriteEndArray();
            if (n.Disabled)
            {
                w.WriteBoolean("disabled", true);
            }

            w.WriteStartObject("parameters");
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("connections");
        w.WriteEndObject();
        w.WriteStartObject("settings");
        w.WriteString("executionOrder", "v1");
        w.WriteEndObject();
        w.WriteStartArray("tags");
        w.WriteEndArray();
        w.WriteStartArray("shared");
        w.WriteStartObject();
        w.WriteString("role", "workflow:owner");
        w.WriteString("workflowId", wf.Id);
        w.WriteString("projectId", wf.Project.Id);
        w.WriteString("createdAt", Time(wf.CreatedAt));
        w.WriteString("updatedAt", Time(wf.CreatedAt));
        w.WriteStartObject("project");
        w.WriteString("id", wf.Project.Id);
        w.WriteString("name", wf.Project.Name);
        w.WriteString("type", wf.Project.Type);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static async Task<bool> AuthorisedAsync(HttpContext c)
    {
        var key = c.RequestServices.GetRequiredService<IOptions<SimulatorOptions>>().Value.Credentials.N8nApiKey;
        if (VendorHttp.Same(c.Request.Headers["X-N8N-API-KEY"].FirstOrDefault(), key))
        {
            return true;
        }

        await Message(c, 401, c.Request.Headers.ContainsKey("X-N8N-API-KEY") ? "unauthorized" : "'X-N8N-API-KEY' header required");
        return false;
    }

    private static async Task<int?> LimitAsync(HttpContext c)
    {
        var text = c.Request.Query["limit"].ToString();
        if (text.Length == 0)
        {
            return 100;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= 250)
        {
            return limit;
        }

        await Message(c, 400, "request/query/limit must be <= 250");
        return null;
    }

    /// <summary>A list whose cursor is the position in a stable order, encoded like n8n's <c>{lastId, limit}</c>.</summary>
    private static async Task ListAsync<T>(HttpContext c, Func<Simulation, IReadOnlyList<T>?> items, Action<Utf8JsonWriter, T, HttpContext> write)
    {
        if (!await AuthorisedAsync(c) || await LimitAsync(c) is not { } limit)
        {
            return;
        }

        var list = items(c.RequestServices.GetRequiredService<Simulation>());
        if (list is null)
        {
            await Message(c, 404, "Not Found");
            return;
        }

        var offset = 0;
        if (c.Request.Query["cursor"].ToString() is { Length: > 0 } cursor)
        {
            if (ReadCursor(cursor) is not { } last)
            {
                await Message(c, 400, "An invalid cursor was provided");
                return;
            }

            offset = (int)Math.Clamp(last, 0, list.Count);
            limit = Math.Min(limit, 250);
        }

        var page = list.Skip(offset).Take(limit).ToList();
        var next = offset + page.Count < list.Count ? Cursor(offset + page.Count, limit) : null;
        await VendorHttp.JsonAsync(c, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (var item in page)
            {
                write(w, item, c);
            }

            w.WriteEndArray();
            w.WriteString("nextCursor", next);
            w.WriteEndObject();
        });
    }

    private static async Task ExecutionsAsync(HttpContext c)
    {
        if (!await AuthorisedAsync(c) || await LimitAsync(c) is not { } limit)
        {
            return;
        }

        var sim = c.RequestServices.GetRequiredService<Simulation>();
        var q = c.Request.Query;
        var status = q["status"].ToString();
        var workflowId = q["workflowId"].ToString();
        var below = long.MaxValue;
        if (q["cursor"].ToString() is { Length: > 0 } cursor)
        {
            if (ReadCursor(cursor) is not { } last)
            {
                await Message(c, 400, "An invalid cursor was provided");
                return;
            }

            below = last;
        }

        // Newest first: ids descend, and the cursor is the last id served.
        var executions = sim.N8n.Executions;
        var start = FirstBelow(executions, below);
        var page = new List<N8nExecution>(limit);
        var more = false;
        for (var i = start; i < executions.Count; i++)
        {
            var x = executions[i];
            if ((status.Length > 0 && x.Status != status) || (workflowId.Length > 0 && x.WorkflowId != workflowId))
            {
                continue;
            }

            if (page.Count == limit)
            {
                more = true;
                break;
            }

            page.Add(x);
        }

        var next = more ? Cursor(page[^1].Id, limit) : null;
        await VendorHttp.JsonAsync(c, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("data");
            foreach (var x in page)
            {
                w.WriteStartObject();
                w.WriteNumber("id", x.Id);
                w.WriteBoolean("finished", x.Status == "success");
                w.WriteString("mode", x.Mode);
                w.WriteNull("retryOf");
                w.WriteNull("retrySuccessId");
                w.WriteString("status", x.Status);
                WriteTime(w, "startedAt", x.StartedAt);
                WriteTime(w, "stoppedAt", x.StoppedAt);
                w.WriteString("workflowId", x.WorkflowId);
                w.WriteNull("waitTill");
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("nextCursor", next);
            w.WriteEndObject();
        });
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? t)
    {
        if (t is { } value)
        {
            w.WriteString(name, Time(value));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static int FirstBelow(IReadOnlyList<N8nExecution> descending, long below)
    {
        int lo = 0, hi = descending.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (descending[mid].Id < below)
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

    private static string Cursor(long lastId, int limit) =>
        VendorHttp.Token(string.Create(CultureInfo.InvariantCulture, $"{{\"lastId\":{lastId},\"limit\":{limit}}}"));

    private static long? ReadCursor(string cursor)
    {
        try
        {
            using var doc = JsonDocument.Parse(VendorHttp.Untoken(cursor) ?? "null");
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("lastId", out var id) && id.TryGetInt64(out var v) ? v : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Task Message(HttpContext c, int status, string message) =>
        VendorHttp.JsonAsync(c, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteEndObject();
        });
}
