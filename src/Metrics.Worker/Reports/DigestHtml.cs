using System.Globalization;
using System.Net;
using System.Text;
using Metrics.Core.Kpis;
using Metrics.Worker.Cli;

namespace Metrics.Worker.Reports;

/// <summary>
/// Renders the digest as one self-contained HTML file: inline CSS and SVG, no script, no external resource, so it opens
/// the same from a disk, a mail client or an archive. Each shown value carries its stored point in <c>data-*</c>
/// attributes (kpi, window, department, date, and the value exactly as <c>kpis --format jsonl</c> prints it).
/// </summary>
public static class DigestHtml
{
    private const string Style = """
        body{font-family:-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;margin:0;background:#f6f8fa;color:#1f2328}
        header,section,footer{max-width:1120px;margin:0 auto;padding:12px 24px}
        header{background:#0d2847;color:#fff;max-width:none;padding:20px max(24px,calc(50% - 536px))}
        header h1{margin:0 0 4px;font-size:26px}header p{margin:0;color:#c9d7ea}
        h2{font-size:19px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
        .cards{display:flex;flex-wrap:wrap;gap:14px}
        .kpi{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:10px 12px;width:342px}
        .kpi h3{margin:0;font-size:15px}.kpi h3 small{color:#59636e;font-weight:normal}
        .kpi .value{font-size:30px;font-weight:600;margin:4px 0 0}
        .up{color:#1a7f37}.down{color:#cf222e}.flat,.note{color:#59636e}
        .kpi svg{display:block;width:340px;height:190px}
        table{border-collapse:collapse;background:#fff;width:100%}
        th,td{border:1px solid #d0d7de;padding:5px 9px;text-align:right}th{background:#eef1f4}
        td:first-child,th:first-child,.name{text-align:left}
        .warn{background:#fff1e5}
        """;

    public static string Render(Digest digest, int minimumGroupSize)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var html = new StringBuilder(256 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>AI readiness digest, week ending ").Append(Day(digest.WeekEnd)).Append("</title>\n")
            .Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n");

        html.Append("<header><h1>AI readiness, week ").Append(Day(digest.WeekStart)).Append(" to ").Append(Day(digest.WeekEnd)).Append("</h1>")
            .Append("<p>Stored KPIs of ").Append(Day(digest.WeekEnd)).Append(" (org time zone ").Append(Encode(digest.TimeZone))
            .Append("), compared with the week before; generated ")
            .Append(digest.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append(" UTC.</p></header>\n");

        AppendHeadlines(html, digest);
        AppendRanking(html, digest, minimumGroupSize);
        AppendMovers(html, digest);
        AppendDataHealth(html, digest);

        html.Append("<footer><p class=\"note\">Departments with fewer than ").Append(minimumGroupSize)
            .Append(" people are never shown; no value identifies a person. Definitions: docs/kpis.md.</p></footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendHeadlines(StringBuilder html, Digest digest)
    {
        html.Append("<section id=\"headlines\"><h2>Headline KPIs, the org, last 12 weeks</h2>\n<div class=\"cards\">\n");
        var index = 0;
        foreach (var h in digest.Headlines)
        {
            html.Append("<article class=\"kpi\" id=\"kpi-").Append(h.Definition.Name).Append("\"><h3>").Append(Encode(h.Definition.DisplayName))
                .Append(" <small>").Append(WindowText(h.Window)).Append("</small></h3>\n");
            html.Append("<p class=\"value\"").Append(Point(digest.WeekEnd, null, h.Definition, h.Window, h.Current)).Append('>')
                .Append(h.Current is { } v ? Format(h.Definition, v) : "no data").Append("</p>\n");
            html.Append("<p class=\"").Append(ChangeClass(h.Change)).Append("\">")
                .Append(h.Change is { } c ? FormatChange(h.Definition, c) + " on the week before" : "no value for the week before").Append("</p>\n");
            if (h.Definition.Target is { } target)
            {
                html.Append("<p class=\"note\">target ").Append(Format(h.Definition, target)).Append("</p>\n");
            }

            html.Append(DigestCharts.TrendSvg(h, digest.WeekEnd, "chart" + index++.ToString(CultureInfo.InvariantCulture))).Append("\n</article>\n");
        }

        html.Append("</div></section>\n");
    }

    private static void AppendRanking(StringBuilder html, Digest digest, int minimumGroupSize)
    {
        var r = digest.Ranking;
        html.Append("<section id=\"ranking\"><h2>Departments by ").Append(Encode(r.Definition.DisplayName)).Append(" (").Append(WindowText(r.Window)).Append(")</h2>\n");
        if (r.Rows.Count == 0)
        {
            html.Append("<p class=\"note\">No department of at least ").Append(minimumGroupSize).Append(" people has a value for this week.</p></section>\n");
            return;
        }

        html.Append("<table><thead><tr><th>#</th><th class=\"name\">Department</th><th>People</th><th>").Append(Encode(r.Definition.DisplayName))
            .Append("</th><th>Change on the week before</th></tr></thead><tbody>\n");
        var rank = 0;
        foreach (var row in r.Rows)
        {
            html.Append("<tr data-department=\"").Append(Encode(row.Department)).Append("\"><td>").Append(++rank).Append("</td><td class=\"name\">").Append(Encode(row.Department))
                .Append("</td><td").Append(Point(digest.WeekEnd, row.Department, KpiCatalog.Find("headcount")!, "day", row.People)).Append('>').Append(row.People.ToString("N0", CultureInfo.InvariantCulture))
                .Append("</td><td").Append(Point(digest.WeekEnd, row.Department, r.Definition, r.Window, row.Value)).Append('>').Append(Format(r.Definition, row.Value))
                .Append("</td><td class=\"").Append(ChangeClass(row.Change)).Append("\">").Append(row.Change is { } c ? FormatChange(r.Definition, c) : "new").Append("</td></tr>\n");
        }

        html.Append("</tbody></table></section>\n");
    }

    private static void AppendMovers(StringBuilder html, Digest digest)
    {
        html.Append("<section id=\"movers\"><h2>What moved most</h2>\n");
        if (digest.Movers.Count == 0)
        {
            html.Append("<p class=\"note\">Nothing changed on the week before (or there is no week before yet).</p></section>\n");
            return;
        }

        html.Append("<ol>\n");
        foreach (var m in digest.Movers)
        {
            html.Append("<li><b>").Append(Encode(m.Department ?? "The org")).Append("</b>: ").Append(Encode(m.Definition.DisplayName))
                .Append(" (").Append(WindowText(m.Window)).Append(") from ").Append(Format(m.Definition, m.Previous)).Append(" to <span")
                .Append(Point(digest.WeekEnd, m.Department, m.Definition, m.Window, m.Current)).Append('>').Append(Format(m.Definition, m.Current))
                .Append("</span> <span class=\"").Append(ChangeClass(m.Change)).Append("\">(").Append(FormatChange(m.Definition, m.Change)).Append(")</span></li>\n");
        }

        html.Append("</ol></section>\n");
    }

    private static void AppendDataHealth(StringBuilder html, Digest digest)
    {
        html.Append("<section id=\"data-health\"><h2>Data health</h2>\n");
        if (digest.DataHealth.Count == 0)
        {
            html.Append("<p class=\"note\">No source has synced yet: the numbers above come from imports only.</p></section>\n");
            return;
        }

        html.Append("<table><thead><tr><th>Source</th><th>Events, last 28 days</th><th>Resolved to a person</th><th>Last successful sync</th><th>Failed attempts since</th><th>Newest event</th></tr></thead><tbody>\n");
        foreach (var s in digest.DataHealth)
        {
            var stale = s.Failures > 0 || s.LastSuccess is null || digest.GeneratedAt - s.LastSuccess > TimeSpan.FromDays(2);
            html.Append("<tr data-source=\"").Append(Encode(s.Source)).Append('"').Append(stale ? " class=\"warn\"" : string.Empty).Append("><td>").Append(Encode(s.Source))
                .Append(stale ? " (stale: check before reading its numbers)" : string.Empty)
                .Append("</td><td>").Append(s.Events.ToString("N0", CultureInfo.InvariantCulture))
                .Append("</td><td>").Append(s.Coverage is { } c ? (c * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "-")
                .Append("</td><td>").Append(Instant(s.LastSuccess) ?? "never")
                .Append("</td><td>").Append(s.Failures)
                .Append("</td><td>").Append(Instant(s.NewestEvent) ?? "-").Append("</td></tr>\n");
        }

        html.Append("</tbody></table></section>\n");
    }

    /// <summary>The stored point behind a shown value, as attributes.</summary>
    private static string Point(DateOnly day, string? department, KpiDefinition definition, string window, double? value)
    {
        if (value is not { } v)
        {
            return string.Empty;
        }

        var point = new KpiPoint(day, department, definition.Name, window, v);
        return $" data-date=\"{Day(day)}\" data-kpi=\"{definition.Name}\" data-window=\"{window}\"" +
            (department is null ? string.Empty : $" data-department=\"{Encode(department)}\"") +
            $" data-value=\"{KpiExport.FormatValue(point)}\"";
    }

    /// <summary>A value as people read it: ratios in percent, counts whole, rates with their unit.</summary>
    public static string Format(KpiDefinition definition, double value)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (definition.IsCount)
        {
            return Math.Round(value).ToString("N0", CultureInfo.InvariantCulture);
        }

        return definition.Unit == "percentunit"
            ? (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %"
            : value.ToString("0.0", CultureInfo.InvariantCulture) + Suffix(definition);
    }

    public static string FormatChange(KpiDefinition definition, double change)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var sign = change > 0 ? "+" : change < 0 ? "-" : "±";
        var size = Math.Abs(change);
        if (definition.IsCount)
        {
            return sign + Math.Round(size).ToString("N0", CultureInfo.InvariantCulture);
        }

        return definition.Unit == "percentunit"
            ? sign + (size * 100).ToString("0.0", CultureInfo.InvariantCulture) + " pp"
            : sign + size.ToString("0.0", CultureInfo.InvariantCulture) + Suffix(definition);
    }

    private static string Suffix(KpiDefinition definition) =>
        definition.Unit.StartsWith("suffix:", StringComparison.Ordinal) ? " " + definition.Unit["suffix:".Length..].Trim() : string.Empty;

    private static string ChangeClass(double? change) => change switch
    {
        > 0 => "up",
        < 0 => "down",
        _ => "flat",
    };

    private static string WindowText(string window) => window switch
    {
        "day" => "on the day",
        "cohort" => "90-day cohort",
        _ => window.TrimEnd('d') + " days",
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Instant(DateTimeOffset? time) =>
        time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
