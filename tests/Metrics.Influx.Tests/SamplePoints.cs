using Metrics.Core.Kpis;

namespace Metrics.Influx.Tests;

/// <summary>KPI points that exercise the schema: org, departments, the merged small groups, awkward names, counts and ratios.</summary>
internal static class SamplePoints
{
    /// <summary>Spaces, a comma, double quotes and an equals sign: all special in line protocol.</summary>
    public const string Awkward = "R&D, \"Lab\" = A B";

    /// <summary>Single quotes: special in InfluxQL string literals.</summary>
    public const string Quoted = "O'Brien's team";

    public const string Sales = "Sales";

    /// <summary>Europe/Berlin switches to summer time on 2026-03-29, in the middle of these days.</summary>
    public static readonly DateOnly First = new(2026, 3, 28);
    public static readonly DateOnly Last = new(2026, 3, 30);

    public static List<KpiPoint> AcrossBerlinDst()
    {
        var points = new List<KpiPoint>();
        for (var date = First; date <= Last; date = date.AddDays(1))
        {
            var n = date.Day;
            points.Add(new KpiPoint(date, null, "headcount", "day", 120 + n));
            points.Add(new KpiPoint(date, null, "ai_usage_rate", "7d", 0.42));
            points.Add(new KpiPoint(date, null, "proposals", "28d", 0));
            points.Add(new KpiPoint(date, Sales, "proposals", "7d", n % 5));
            points.Add(new KpiPoint(date, Sales, "bottom_up_share", "7d", 1.0 / 3.0));
            points.Add(new KpiPoint(date, KpiCatalog.SmallGroups, "active_ai_users", "28d", 3));
            points.Add(new KpiPoint(date, Awkward, "ai_usage_rate", "1d", 0.1 + 0.2));
            points.Add(new KpiPoint(date, Awkward, "headcount", "day", 1e9 + 7));
            points.Add(new KpiPoint(date, Quoted, "proposal_conversion_rate", "cohort", 2.0 / 7.0));
        }

        return points;
    }

    /// <summary>The order ReadAsync promises: date, department (org first, then ordinal), kpi, window.</summary>
    public static List<KpiPoint> InReadOrder(IEnumerable<KpiPoint> points) =>
    [
        .. points
            .OrderBy(p => p.Date)
            .ThenBy(p => p.Department is null ? 0 : 1)
            .ThenBy(p => p.Department, StringComparer.Ordinal)
            .ThenBy(p => p.Kpi, StringComparer.Ordinal)
            .ThenBy(p => KpiCatalog.Windows.ToList().IndexOf(p.Window))
            .ThenBy(p => p.Tool, StringComparer.Ordinal),
    ];
}
