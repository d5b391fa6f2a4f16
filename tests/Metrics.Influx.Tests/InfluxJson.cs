using System.Text.Json;

namespace Metrics.Influx.Tests;

/// <summary>One row of an InfluxQL JSON answer: the series' tags and the row's values by column.</summary>
internal sealed record InfluxRow(string Series, IReadOnlyDictionary<string, string> Tags, IReadOnlyDictionary<string, JsonElement> Values);

/// <summary>Reads raw InfluxQL answers in tests, independently of the store's own parser.</summary>
internal static class InfluxJson
{
    public static List<InfluxRow> Rows(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var rows = new List<InfluxRow>();
        foreach (var result in doc.RootElement.GetProperty("results").EnumerateArray())
        {
            Assert.False(result.TryGetProperty("error", out var error), error.ToString());
            if (!result.TryGetProperty("series", out var series))
            {
                continue;
            }

            foreach (var s in series.EnumerateArray())
            {
                var name = s.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
                var tags = s.TryGetProperty("tags", out var t)
                    ? t.EnumerateObject().Where(p => p.Value.GetString() is { Length: > 0 }).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
                    : new Dictionary<string, string>(StringComparer.Ordinal);
                var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
                foreach (var row in s.GetProperty("values").EnumerateArray())
                {
                    var values = columns.Select((c, i) => (c, row[i].Clone())).ToDictionary(x => x.c, x => x.Item2, StringComparer.Ordinal);
                    rows.Add(new InfluxRow(name, tags, values));
                }
            }
        }

        return rows;
    }
}
