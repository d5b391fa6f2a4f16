using System.Globalization;
using System.Text.RegularExpressions;
using Metrics.Core.Events;
using Metrics.Core.Kpis;
using Metrics.Testing;
using Metrics.Testing.Golden;

namespace Metrics.Core.Tests.Kpis;

public sealed partial class KpiCatalogTests
{
    private sealed record DocRow(string Name, string DisplayName, string[] Windows, KpiKind Kind, double? Target);

    [Fact]
    public void All_AgainstTheTableOfDocsKpis_SameKpisInTheSameOrderWithTheirNamesWindowsKindsAndTargets()
    {
        var rows = DocRows();

        Assert.Equal(KpiCatalog.All.Select(k => k.Name), rows.Select(r => r.Name));
        foreach (var (kpi, row) in KpiCatalog.All.Zip(rows))
        {
            Assert.Equal(kpi.DisplayName, row.DisplayName);
            Assert.Equal(kpi.Windows, row.Windows);
            Assert.Equal(kpi.Kind, row.Kind);
            Assert.Equal(kpi.Target, row.Target);
        }
    }

    [Fact]
    public void All_EveryDefinition_HasAUniqueNameKnownWindowsADescriptionAndARatioUnitOnlyForRatios()
    {
        Assert.Equal(KpiCatalog.All.Count, KpiCatalog.All.Select(k => k.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(KpiCatalog.All, k =>
        {
            Assert.Matches("^[a-z_]+$", k.Name);
            Assert.NotEmpty(k.Windows);
            Assert.All(k.Windows, w => Assert.Contains(w, KpiCatalog.Windows));
            Assert.False(string.IsNullOrWhiteSpace(k.Description));
            Assert.False(string.IsNullOrWhiteSpace(k.DisplayName));
            Assert.True(k.Unit != "percentunit" || k.Kind == KpiKind.Ratio, $"{k}: a count shown as a percentage");
            Assert.True(k.Target is null || (k.Kind == KpiKind.Ratio && k.Target is > 0 and < 1), $"{k}: a target outside (0, 1)");
        });
    }

    [Fact]
    public void Compute_GoldenCompany_WritesOnlyDefinedKpisAndEveryCountForTheOrg()
    {
        var engine = new KpiEngine(new KpiOptions { TimeZone = GoldenCompany.TimeZone, MinimumGroupSize = GoldenCompany.MinimumGroupSize });
        var events = EventSet.Effective(GoldenInput.ParseEvents(GoldenCompany.Events + "\n" + GoldenCompany.LateEvents));

        var points = engine.Compute(events, GoldenInput.Directory(), GoldenInput.Courses(), GoldenCompany.DayA, GoldenCompany.DayB).ToList();

        var defined = KpiCatalog.All.SelectMany(k => k.Windows.Select(w => (k.Name, w))).ToHashSet();
        var written = points.Select(p => (p.Kpi, p.Window)).ToHashSet();
        Assert.Subset(defined, written);
        // Counts are always written, so the org has every count definition on every day.
        var counts = KpiCatalog.All.Where(k => k.IsCount).SelectMany(k => k.Windows.Select(w => (k.Name, w))).ToHashSet();
        Assert.Equal(counts, points.Where(p => p.Date == GoldenCompany.DayB && p.Department is null && p.IsCount).Select(p => (p.Kpi, p.Window)).ToHashSet());
        Assert.All(points.Where(p => p.Level is not null), p => Assert.NotNull(KpiCatalog.Find(p.Kpi)!.ComputeByLevel));
        Assert.All(points.Where(p => p.Tool is not null), p => Assert.NotNull(KpiCatalog.Find(p.Kpi)!.ComputeByTool));
        Assert.DoesNotContain(points, p => p.Tool is null && KpiCatalog.Find(p.Kpi)!.ComputeByTool is not null);
    }

    [Theory]
    [InlineData("1d", 1)]
    [InlineData("7d", 7)]
    [InlineData("28d", 28)]
    [InlineData("90d", 90)]
    [InlineData("day", 1)]
    [InlineData("cohort", 0)]
    public void WindowDays_EveryWindowTag_IsItsLengthInDays(string window, int days) =>
        Assert.Equal(days, KpiDefinition.WindowDays(window));

    [Fact]
    public void WindowDays_UnknownTag_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => KpiDefinition.WindowDays("3d"));

    private static List<DocRow> DocRows()
    {
        var text = File.ReadAllText(RepositoryFiles.PathOf("docs/kpis.md"));
        var rows = new List<DocRow>();
        foreach (Match m in TableRow().Matches(text))
        {
            var windows = WindowTag().Matches(m.Groups["windows"].Value).Select(w => w.Groups[1].Value).ToArray();
            var kind = m.Groups["kind"].Value.StartsWith("count", StringComparison.Ordinal) ? KpiKind.Count : KpiKind.Ratio;
            var target = TargetNote().Match(m.Groups["formula"].Value) is { Success: true } t
                ? double.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture)
                : (double?)null;
            rows.Add(new DocRow(m.Groups["name"].Value, m.Groups["display"].Value.Trim(), windows, kind, target));
        }

        return rows;
    }

    [GeneratedRegex(@"^\| `(?<name>[a-z_]+)` \| (?<display>[^|]+) \| (?<windows>[^|]+) \| (?<kind>(?:count|ratio)[^|]*) \| (?<formula>.+) \|$", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex("`([a-z0-9]+)`")]
    private static partial Regex WindowTag();

    [GeneratedRegex(@"\(target (0\.\d+)\)")]
    private static partial Regex TargetNote();
}
