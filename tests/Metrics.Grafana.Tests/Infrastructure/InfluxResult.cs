using System.Text.Json;

namespace Metrics.Grafana.Tests.Infrastructure;

/// <summary>One series of an InfluxQL answer: its tags, columns and rows (times in epoch seconds, values as doubles or null).</summary>
public sealed record InfluxSeries(string Name, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<double?>> Rows)
{
    /// <summary>The values of column <paramref name="column"/> (default: the first column after time).</summary>
    public IReadOnlyList<double?> Column(string? column = null)
    {
        var index = column is null ? 1 : Columns.ToList().IndexOf(column);
        if (index < 0 || index >= Columns.Count)
        {
            throw new InvalidOperationException($"no column '{column}' in [{string.Join(", ", Columns)}]");
        }

        return Rows.Select(r => r[index]).ToList();
    }

    /// <summary>The department tag, or null when absent or empty (the org).</summary>
    public string? Department => Tags.TryGetValue("department", out var d) && d.Length > 0 ? d : null;

    public override string ToString() =>
        $"{Name} {{{string.Join(", ", Tags.Select(t => $"{t.Key}={t.Value}"))}}}: {Rows.Count} rows";
}

public static class InfluxResult
{
    /// <summary>Parses the JSON of <c>/query?epoch=s</c> for a single statement; an error in the answer throws.</summary>
    public static IReadOnlyList<InfluxSeries> Parse(string json, string query)
    {
        using var doc = JsonDocument.Parse(json);
        var results = doc.RootElement.GetProperty("results");
        if (results.GetArrayLength() != 1)
        {
            throw new InvalidOperationException($"expected one result for '{query}', got {results.GetArrayLength()}");
        }

        var result = results[0];
        if (result.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"InfluxDB error for '{query}': {error.GetString()}");
        }

        if (!result.TryGetProperty("series", out var series))
        {
            return [];
        }

        var list = new List<InfluxSeries>();
        foreach (var s in series.EnumerateArray())
        {
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            if (s.TryGetProperty("tags", out var t))
            {
                foreach (var p in t.EnumerateObject())
                {
                    tags[p.Name] = p.Value.GetString() ?? "";
                }
            }

            var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
            var rows = new List<IReadOnlyList<double?>>();
            if (s.TryGetProperty("values", out var values))
            {
                foreach (var row in values.EnumerateArray())
                {
                    rows.Add(row.EnumerateArray().Select(v => v.ValueKind switch
                    {
                        JsonValueKind.Number => v.GetDouble(),
                        JsonValueKind.Null => (double?)null,
                        _ => throw new InvalidOperationException($"non-numeric value {v} in '{query}'"),
                    }).ToList());
                }
            }

            list.Add(new InfluxSeries(s.GetProperty("name").GetString() ?? "", tags, columns, rows));
        }

        return list;
    }
}
