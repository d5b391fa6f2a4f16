using System.Text.RegularExpressions;
using ScottPlot;

namespace Metrics.Worker.Reports;

/// <summary>The trend charts of the digest, drawn by ScottPlot as SVG to be inlined in the HTML (no script, no network).</summary>
public static partial class DigestCharts
{
    public const int Width = 340;
    public const int Height = 190;

    /// <summary>
    /// A headline KPI's weekly values (ratios in percent) with its target line; gaps where nothing was stored. The
    /// <paramref name="idPrefix"/> keeps the SVG's element ids unique in the page: inline charts share one id space.
    /// </summary>
    public static string TrendSvg(HeadlineKpi headline, DateOnly weekEnd, string idPrefix)
    {
        ArgumentNullException.ThrowIfNull(headline);
        var scale = headline.Definition.IsCount ? 1.0 : 100.0;
        var days = Digest.TrendDays(weekEnd);
        var xs = new List<double>();
        var ys = new List<double>();
        for (var i = 0; i < days.Count; i++)
        {
            if (headline.Trend[i] is { } v)
            {
                xs.Add(days[i].ToDateTime(TimeOnly.MinValue).ToOADate());
                ys.Add(v * scale);
            }
        }

        var plot = new Plot();
        plot.FigureBackground.Color = Colors.White;
        plot.Axes.DateTimeTicksBottom();
        if (xs.Count > 0)
        {
            var line = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), Color.FromHex("#1f6feb"));
            line.LineWidth = 2;
            line.MarkerSize = 5;
        }

        var top = ys.Count > 0 ? ys.Max() : 0;
        if (headline.Definition.Target is { } target)
        {
            // The card names the target under the value; a label on the axis would cover the tick labels.
            plot.Add.HorizontalLine(target * scale, 1.5f, Color.FromHex("#cf222e"), LinePattern.Dashed);
            top = Math.Max(top, target * scale);
        }

        var first = days[0].ToDateTime(TimeOnly.MinValue).ToOADate();
        var last = days[^1].ToDateTime(TimeOnly.MinValue).ToOADate();
        plot.Axes.SetLimits(first - 3, last + 3, 0, headline.Definition.IsCount ? Math.Max(1, top * 1.15) : Math.Min(100, Math.Max(10, top * 1.15)));
        if (!headline.Definition.IsCount)
        {
            plot.Axes.Left.Label.Text = "%";
        }

        return Scoped(plot.GetSvgXml(Width, Height), idPrefix);
    }

    /// <summary>Inline SVG: no XML declaration, and ids (with the references to them) prefixed to stay unique in the page.</summary>
    private static string Scoped(string svg, string prefix)
    {
        svg = XmlDeclaration().Replace(svg, string.Empty);
        svg = IdAttribute().Replace(svg, m => $"id=\"{prefix}-{m.Groups[1].Value}\"");
        svg = IdReference().Replace(svg, m => $"{m.Groups[1].Value}#{prefix}-{m.Groups[2].Value}");
        return svg.Trim();
    }

    [GeneratedRegex(@"<\?xml[^>]*\?>")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex("id=\"([^\"]+)\"")]
    private static partial Regex IdAttribute();

    [GeneratedRegex("(url\\(|href=\")#([^)\"]+)")]
    private static partial Regex IdReference();
}
