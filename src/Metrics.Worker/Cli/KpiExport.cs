using System.Globalization;
using System.Text;
using System.Text.Json;
using Metrics.Core.Kpis;

namespace Metrics.Worker.Cli;

/// <summary>The spec's export format and a human-readable table of the same points.</summary>
public static class KpiExport
{
    /// <summary>
    /// <c>{"date":"2026-03-02","department":null,"kpi":"ai_usage_rate","window":"7d","value":0.42}</c>: counts as
    /// integers, ratios as doubles (round-trip precision, always with a decimal point).
    /// </summary>
    public static string ToJsonLine(KpiPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        var sb = new StringBuilder(128);
        sb.Append("{\"date\":\"").Append(point.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("\",\"department\":");
        sb.Append(point.Department is null ? "null" : JsonSerializer.Serialize(point.Department));
        sb.Append(",\"kpi\":").Append(JsonSerializer.Serialize(point.Kpi));
        sb.Append(",\"window\":").Append(JsonSerializer.Serialize(point.Window));
        if (point.Tool is not null)
        {
            // Only the per-tool extension KPIs carry it: the contract's lines stay exactly as the spec writes them.
            sb.Append(",\"tool\":").Append(JsonSerializer.Serialize(point.Tool));
        }

        sb.Append(",\"value\":").Append(FormatValue(point)).Append('}');
        return sb.ToString();
    }

    public static string FormatValue(KpiPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        if (point.IsCount)
        {
            return ((long)Math.Round(point.Value)).ToString(CultureInfo.InvariantCulture);
        }

        var text = point.Value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>
    /// RFC 4180: a header row, CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled. The last
    /// column, <c>tool</c>, is empty except on the per-tool extension KPIs.
    /// </summary>
    public static async Task WriteCsvAsync(IAsyncEnumerable<KpiPoint> points, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteAsync("date,department,kpi,window,value,tool\r\n");
        await foreach (var p in points.WithCancellation(cancellationToken))
        {
            await output.WriteAsync(
                $"{p.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)},{CsvField(p.Department ?? string.Empty)},{CsvField(p.Kpi)},{CsvField(p.Window)},{FormatValue(p)},{CsvField(p.Tool ?? string.Empty)}\r\n");
        }
    }

    private static string CsvField(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;

    public static async Task WriteTableAsync(IAsyncEnumerable<KpiPoint> points, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteLineAsync($"{"date",-10}  {"department",-24}  {"kpi",-28}  {"window",-6}  {"value",14}");
        var rows = 0;
        await foreach (var p in points.WithCancellation(cancellationToken))
        {
            var value = p.IsCount ? FormatValue(p) : p.Value.ToString("0.0000", CultureInfo.InvariantCulture);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{p.Date:yyyy-MM-dd}  {p.Department ?? "(org)",-24}  {(p.Tool is null ? p.Kpi : $"{p.Kpi} {p.Tool}"),-28}  {p.Window,-6}  {value,14}"));
            rows++;
        }

        await output.WriteLineAsync(rows == 0 ? "no KPIs stored in this range" : $"{rows} values");
    }
}
