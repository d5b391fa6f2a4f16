using System.Text;
using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using Metrics.Core.Directory;
using Metrics.Core.Kpis;

namespace Metrics.Influx.Tests;

/// <summary>
/// The store's line protocol against the line protocol InfluxDB.Client's <c>PointData</c> writes for the same point,
/// which the store sent before it wrote its own (the same layout as <c>InfluxKpiStore</c> built it then).
/// </summary>
public sealed class KpiLineBatchTests
{
    private static readonly string[] Departments =
    [
        "Sales", SamplePoints.Awkward, SamplePoints.Quoted, KpiCatalog.SmallGroups, "Zürich Forschung & Entwicklung", "a=b,c d",
        " leading and trailing ", "Ops\tNight\r\nShift", "Übersee 🚀 Team", "\"quoted\"", "back\\slash", "日本支社",
    ];

    private static readonly string[] Kpis = ["headcount", "ai_usage_rate", "training_completion_rate", "ai_tool_users", "odd kpi,=name"];

    private static readonly string[] Windows = ["day", "1d", "7d", "28d", "cohort", "w in=dow"];

    /// <summary>How the store laid out a point through InfluxDB.Client before (commit db432a1), at a given timestamp.</summary>
    private static string PointDataLine(KpiPoint point, long unixSeconds)
    {
        var measurement = point.Level is not null ? KpiSchema.ByLevelMeasurement
            : point.Tool is not null ? KpiSchema.ByToolMeasurement
            : KpiSchema.Measurement;
        var data = PointData.Measurement(measurement)
            .Tag(KpiSchema.KpiTag, point.Kpi)
            .Tag(KpiSchema.WindowTag, point.Window)
            .Tag(KpiSchema.ScopeTag, point.Department is null ? KpiSchema.OrgScope : KpiSchema.DepartmentScope);
        if (point.Department is not null)
        {
            data = data.Tag(KpiSchema.DepartmentTag, point.Department);
        }

        if (point.Level is { } level)
        {
            data = data.Tag(KpiSchema.LevelTag, Levels.Name(level));
        }

        if (point.Tool is not null)
        {
            data = data.Tag(KpiSchema.ToolTag, point.Tool);
        }

        return data.Field(KpiSchema.ValueField, point.Value).Timestamp(DateTimeOffset.FromUnixTimeSeconds(unixSeconds), WritePrecision.S).ToLineProtocol();
    }

    private static double RandomValue(Random random) => random.Next(12) switch
    {
        0 => random.Next(100_000),
        1 => random.NextDouble(),
        2 => random.Next(1, 500) / (double)random.Next(1, 500),
        3 => -random.NextDouble() * 1e6,
        4 => BitConverter.Int64BitsToDouble(random.NextInt64(0, 0x7FEF_FFFF_FFFF_FFFF)),
        5 => double.MaxValue,
        6 => double.Epsilon,
        7 => -0.0,
        8 => 0.1 + 0.2,
        9 => 1e21,
        10 => 1.0 / 3.0,
        _ => 123456789.123456789,
    };

    private static List<(KpiPoint Point, long Seconds)> RandomPoints(int count, int seed)
    {
        var random = new Random(seed);
        var points = new List<(KpiPoint, long)>();
        for (var i = 0; i < count; i++)
        {
            var department = random.Next(4) == 0 ? null : Departments[random.Next(Departments.Length)];
            var breakdown = random.Next(4);
            Level? level = breakdown == 1 ? (Level)random.Next(4) : null;
            var tool = breakdown == 2 ? AiTools.Names[random.Next(AiTools.Names.Count)] : breakdown == 3 && random.Next(2) == 0 ? "odd tool=x" : null;
            var point = new KpiPoint(
                new DateOnly(2026, 1, 1).AddDays(random.Next(365)),
                department,
                Kpis[random.Next(Kpis.Length)],
                Windows[random.Next(Windows.Length)],
                RandomValue(random),
                level,
                tool);
            points.Add((point, random.NextInt64(0, 4_000_000_000)));
        }

        return points;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 5_000)]
    [InlineData(3, 20_000)]
    public void Add_RandomPoints_WritesTheBytesPointDataWrote(int seed, int count)
    {
        var points = RandomPoints(count, seed);
        using var batch = new KpiLineBatch(count);

        foreach (var (point, seconds) in points)
        {
            batch.Add(point, seconds);
        }

        var expected = string.Concat(points.Select(p => PointDataLine(p.Point, p.Seconds) + "\n"));
        Assert.Equal(count, batch.Count);
        Assert.Equal(expected, Encoding.UTF8.GetString(batch.Bytes));
        Assert.Equal(Encoding.UTF8.GetBytes(expected), batch.Bytes.ToArray());
    }

    [Fact]
    public void Add_MorePointsThanSized_GrowsAndKeepsEveryLine()
    {
        var points = RandomPoints(3_000, 4);
        using var batch = new KpiLineBatch(1);

        foreach (var (point, seconds) in points)
        {
            batch.Add(point, seconds);
        }

        Assert.Equal(string.Concat(points.Select(p => PointDataLine(p.Point, p.Seconds) + "\n")), Encoding.UTF8.GetString(batch.Bytes));
    }

    [Fact]
    public void Add_SamplePointsAtBerlinMidnight_WritesTheExpectedLines()
    {
        // Hand-written lines, independent of PointData: escaping, tag order, shortest round-trip floats, local midnight in UTC seconds.
        using var batch = new KpiLineBatch(4);
        var day = new DateOnly(2026, 3, 29);
        var seconds = KpiSchema.DayStart(day, TimeZoneInfo.FindSystemTimeZoneById(Stores.Berlin)).ToUnixTimeSeconds();

        batch.Add(new KpiPoint(day, null, "headcount", "day", 148), seconds);
        batch.Add(new KpiPoint(day, SamplePoints.Awkward, "ai_usage_rate", "1d", 0.1 + 0.2), seconds);
        batch.Add(new KpiPoint(day, "Sales", "training_completion_rate", "28d", 0.5, Level.Manager), seconds);
        batch.Add(new KpiPoint(day, null, "ai_tool_users", "28d", 3, Tool: "copilot"), seconds);

        Assert.Equal(1774738800, seconds);
        Assert.Equal(
            "kpi,kpi=headcount,scope=org,window=day value=148 1774738800\n"
            + "kpi,department=R&D\\,\\ \"Lab\"\\ \\=\\ A\\ B,kpi=ai_usage_rate,scope=department,window=1d value=0.30000000000000004 1774738800\n"
            + "kpi_by_level,department=Sales,kpi=training_completion_rate,level=manager,scope=department,window=28d value=0.5 1774738800\n"
            + "kpi_by_tool,kpi=ai_tool_users,scope=org,tool=copilot,window=28d value=3 1774738800\n",
            Encoding.UTF8.GetString(batch.Bytes));
    }

    [Fact]
    public void AddTrend_DepartmentPoint_WritesKpiTrendWithTheRangeBeforeTheValueAndCountsOnlyTheKpiPoint()
    {
        using var batch = new KpiLineBatch(2);
        var point = new KpiPoint(new DateOnly(2026, 3, 29), "R&D, Lab", "ai_usage_rate", "28d", 1.0 / 3.0);

        batch.Add(point, 1774738800);
        batch.AddTrend(point, 1774738800, 10_368_000);

        Assert.Equal(1, batch.Count);
        Assert.Equal(
            "kpi,department=R&D\\,\\ Lab,kpi=ai_usage_rate,scope=department,window=28d value=0.3333333333333333 1774738800\n"
            + "kpi_trend,department=R&D\\,\\ Lab,kpi=ai_usage_rate,scope=department,window=28d max_range_s=10368000,value=0.3333333333333333 1774738800\n",
            Encoding.UTF8.GetString(batch.Bytes));
    }

    [Fact]
    public void AddTrend_AnyPoint_WritesWhatPointDataWritesWithBothFields()
    {
        var points = RandomPoints(2_000, 5);
        using var batch = new KpiLineBatch(1);

        foreach (var (point, seconds) in points)
        {
            batch.AddTrend(point, seconds, seconds % 2 == 0 ? 10_368_000 : 3_153_600_000);
        }

        var expected = string.Concat(points.Select(p =>
        {
            var data = PointData.Measurement(KpiSchema.TrendMeasurement)
                .Tag(KpiSchema.KpiTag, p.Point.Kpi)
                .Tag(KpiSchema.WindowTag, p.Point.Window)
                .Tag(KpiSchema.ScopeTag, p.Point.Department is null ? KpiSchema.OrgScope : KpiSchema.DepartmentScope);
            data = p.Point.Department is null ? data : data.Tag(KpiSchema.DepartmentTag, p.Point.Department);
            data = p.Point.Level is { } level ? data.Tag(KpiSchema.LevelTag, Levels.Name(level)) : data;
            data = p.Point.Tool is null ? data : data.Tag(KpiSchema.ToolTag, p.Point.Tool);
            return data
                .Field(KpiSchema.ValueField, p.Point.Value)
                .Field(KpiSchema.MaxRangeField, (double)(p.Seconds % 2 == 0 ? 10_368_000 : 3_153_600_000))
                .Timestamp(DateTimeOffset.FromUnixTimeSeconds(p.Seconds), WritePrecision.S)
                .ToLineProtocol() + "\n";
        }));
        Assert.Equal(0, batch.Count);
        Assert.Equal(expected, Encoding.UTF8.GetString(batch.Bytes));
    }

    [Fact]
    public async Task ReadAsByteArrayAsync_Batch_SendsItsBytesAsUtf8TextWithTheirLength()
    {
        using var batch = new KpiLineBatch(2);
        batch.Add(new KpiPoint(new DateOnly(2026, 1, 1), "Zürich", "headcount", "day", 7), 1_767_222_000);
        batch.AddLine("source_health,source=graph events=3 1767222000");

        var body = await batch.ReadAsByteArrayAsync();

        Assert.Equal(2, batch.Count);
        Assert.Equal("kpi,department=Zürich,kpi=headcount,scope=department,window=day value=7 1767222000\nsource_health,source=graph events=3 1767222000\n", Encoding.UTF8.GetString(body));
        Assert.Equal(body.Length, batch.Headers.ContentLength);
        Assert.Equal("text/plain", batch.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", batch.Headers.ContentType?.CharSet);
    }

    [Fact]
    public void Add_AfterDispose_Throws()
    {
        var batch = new KpiLineBatch(1);
        batch.Dispose();

        Assert.Throws<ObjectDisposedException>(() => batch.Add(new KpiPoint(new DateOnly(2026, 1, 1), null, "headcount", "day", 1), 0));
    }
}
