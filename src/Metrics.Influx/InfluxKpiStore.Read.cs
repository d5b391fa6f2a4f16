using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Metrics.Core.Kpis;

namespace Metrics.Influx;

public sealed partial class InfluxKpiStore
{
    /// <summary>Days per read query: bounds the memory one answer takes.</summary>
    public const int ReadChunkDays = 31;

    /// <inheritdoc />
    /// <remarks>
    /// <paramref name="department"/> null reads every group (the org and all departments); a name reads that department
    /// only. Points come ordered by date, then department (the org first, then ordinal), kpi and window (ordinal).
    /// </remarks>
    /// <exception cref="KpiStoreException">The server is unreachable or answered with an error.</exception>
    public async IAsyncEnumerable<KpiPoint> ReadAsync(DateOnly from, DateOnly to, string? department,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (department is not null && string.IsNullOrWhiteSpace(department))
        {
            // InfluxQL's "department" = '' would match the org points, which have no department tag.
            throw new ArgumentException("A department name is not empty; pass null to read every group.", nameof(department));
        }

        for (var chunkStart = from; chunkStart <= to;)
        {
            var chunkEnd = to.DayNumber - chunkStart.DayNumber >= ReadChunkDays ? chunkStart.AddDays(ReadChunkDays - 1) : to;
            var points = await ReadChunkAsync(chunkStart, chunkEnd, department, cancellationToken);
            foreach (var point in points)
            {
                yield return point;
            }

            if (chunkEnd == to)
            {
                break;
            }

            chunkStart = chunkEnd.AddDays(1);
        }
    }

    private async Task<List<KpiPoint>> ReadChunkAsync(DateOnly from, DateOnly to, string? department, CancellationToken cancellationToken)
    {
        // The per-tool KPIs live in a measurement of their own; one query reads both, the tool tag tells them apart.
        string Qualified(string name) => string.IsNullOrWhiteSpace(_options.RetentionPolicy)
            ? InfluxQl.Identifier(name)
            : $"{InfluxQl.Identifier(_options.Database)}.{InfluxQl.Identifier(_options.RetentionPolicy)}.{InfluxQl.Identifier(name)}";
        var measurement = Qualified(KpiSchema.Measurement) + "," + Qualified(KpiSchema.ByToolMeasurement);

        var query = new StringBuilder()
            .Append("SELECT ").Append(InfluxQl.Identifier(KpiSchema.ValueField))
            .Append(" FROM ").Append(measurement)
            .Append(" WHERE time >= ").Append(InfluxQl.Time(KpiSchema.DayStart(from, _zone)))
            .Append(" AND time < ").Append(InfluxQl.Time(KpiSchema.DayStart(to.AddDays(1), _zone)));
        if (department is not null)
        {
            query.Append(" AND ").Append(InfluxQl.Identifier(KpiSchema.DepartmentTag)).Append(" = ").Append(InfluxQl.Literal(department));
        }

        query.Append(" GROUP BY ").AppendJoin(',', new[] { KpiSchema.KpiTag, KpiSchema.WindowTag, KpiSchema.ScopeTag, KpiSchema.DepartmentTag, KpiSchema.ToolTag }.Select(InfluxQl.Identifier));

        var what = $"Read of KPIs {from:yyyy-MM-dd}..{to:yyyy-MM-dd} from database '{_options.Database}'";
        var points = await WithTimeoutAsync(what, async ct =>
        {
            using var request = NewRequest(HttpMethod.Get, "query", [("db", _options.Database), ("q", query.ToString()), ("epoch", "s")]);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            await EnsureSuccessAsync(response, what, ct);
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var doc = await JsonDocument.ParseAsync(stream, default, ct);
            ThrowOnQueryError(doc.RootElement, what);
            return ParsePoints(doc.RootElement, what);
        }, cancellationToken);

        points.Sort(CompareForRead);
        return points;
    }

    private List<KpiPoint> ParsePoints(JsonElement root, string what)
    {
        var points = new List<KpiPoint>();
        if (!root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            return points;
        }

        foreach (var result in results.EnumerateArray())
        {
            if (!result.TryGetProperty("series", out var series) || series.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var s in series.EnumerateArray())
            {
                var tags = s.TryGetProperty("tags", out var t) ? t : default;
                var kpi = Tag(tags, KpiSchema.KpiTag);
                var window = Tag(tags, KpiSchema.WindowTag);
                var scope = Tag(tags, KpiSchema.ScopeTag);
                var department = scope == KpiSchema.OrgScope ? null : Tag(tags, KpiSchema.DepartmentTag);
                var tool = Tag(tags, KpiSchema.ToolTag);
                var byTool = s.TryGetProperty("name", out var name) && name.GetString() == KpiSchema.ByToolMeasurement;
                if (kpi is null || window is null || (scope != KpiSchema.OrgScope && department is null) || byTool != (tool is not null))
                {
                    throw new KpiStoreException($"{what}: InfluxDB at {_url} returned a series without the kpi, window, department or tool tag; is '{KpiSchema.Measurement}' written by something else?");
                }

                var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()).ToList();
                var timeColumn = columns.IndexOf("time");
                var valueColumn = columns.IndexOf(KpiSchema.ValueField);
                if (timeColumn < 0 || valueColumn < 0 || !s.TryGetProperty("values", out var rows))
                {
                    continue;
                }

                foreach (var row in rows.EnumerateArray())
                {
                    var value = row[valueColumn];
                    if (value.ValueKind != JsonValueKind.Number)
                    {
                        continue;
                    }

                    var date = KpiSchema.DateOf(DateTimeOffset.FromUnixTimeSeconds(row[timeColumn].GetInt64()), _zone);
                    points.Add(new KpiPoint(date, department, kpi, window, value.GetDouble(), Tool: tool));
                }
            }
        }

        return points;
    }

    private static string? Tag(JsonElement tags, string name) =>
        tags.ValueKind == JsonValueKind.Object && tags.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } text ? text : null;

    /// <summary>InfluxQL reports failures inside a 200 answer: a top-level <c>error</c>, or one per statement.</summary>
    private void ThrowOnQueryError(JsonElement root, string what)
    {
        if (root.TryGetProperty("error", out var error))
        {
            throw new KpiStoreException($"{what}: InfluxDB at {_url} reported: {error.GetString()}");
        }

        if (!root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var result in results.EnumerateArray())
        {
            if (result.TryGetProperty("error", out var statementError))
            {
                throw new KpiStoreException($"{what}: InfluxDB at {_url} reported: {statementError.GetString()}");
            }

            if (result.TryGetProperty("partial", out var partial) && partial.ValueKind == JsonValueKind.True)
            {
                // A truncated answer (server max-row-limit) would silently lose KPIs.
                throw new KpiStoreException($"{what}: InfluxDB at {_url} returned a partial result; raise the server's max-row-limit.");
            }
        }
    }

    private Task<bool> DatabaseExistsAsync(string database, CancellationToken cancellationToken) =>
        WithTimeoutAsync("List databases", async ct =>
        {
            using var request = NewRequest(HttpMethod.Get, "query", [("q", "SHOW DATABASES")]);
            using var response = await _http.SendAsync(request, ct);
            await EnsureSuccessAsync(response, "List databases", ct);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            ThrowOnQueryError(doc.RootElement, "List databases");
            return doc.RootElement.GetProperty("results").EnumerateArray()
                .SelectMany(r => r.TryGetProperty("series", out var series) ? series.EnumerateArray() : Enumerable.Empty<JsonElement>())
                .SelectMany(s => s.TryGetProperty("values", out var values) ? values.EnumerateArray() : Enumerable.Empty<JsonElement>())
                .Any(row => string.Equals(row[0].GetString(), database, StringComparison.Ordinal));
        }, cancellationToken);

    /// <summary>Runs an InfluxQL statement that changes something (<c>CREATE DATABASE</c>, <c>DELETE</c>), which InfluxDB 1.x only accepts by POST.</summary>
    private Task ExecuteAsync(string what, string statement, string? database, CancellationToken cancellationToken) =>
        WithTimeoutAsync(what, async ct =>
        {
            using var form = new FormUrlEncodedContent([new("q", statement)]);
            using var request = NewRequest(HttpMethod.Post, "query", [("db", database)], form);
            using var response = await _http.SendAsync(request, ct);
            await EnsureSuccessAsync(response, what, ct);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            ThrowOnQueryError(doc.RootElement, what);
            return 0;
        }, cancellationToken);

    private static int CompareForRead(KpiPoint a, KpiPoint b)
    {
        var c = a.Date.CompareTo(b.Date);
        if (c != 0)
        {
            return c;
        }

        c = (a.Department, b.Department) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            var (x, y) => string.CompareOrdinal(x, y),
        };
        if (c != 0)
        {
            return c;
        }

        c = string.CompareOrdinal(a.Kpi, b.Kpi);
        c = c != 0 ? c : WindowRank(a.Window).CompareTo(WindowRank(b.Window));
        return c != 0 ? c : string.CompareOrdinal(a.Tool, b.Tool);
    }

    /// <summary>Windows in the spec's order (1d, 7d, 28d, 90d, day, cohort), so 7d reads before 28d; unknown ones last.</summary>
    private static int WindowRank(string window)
    {
        var rank = KpiCatalog.Windows.ToList().IndexOf(window);
        return rank < 0 ? int.MaxValue : rank;
    }
}
