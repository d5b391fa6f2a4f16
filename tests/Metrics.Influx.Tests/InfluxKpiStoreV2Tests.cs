using System.Globalization;
using Metrics.Core.Kpis;
using Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace Metrics.Influx.Tests;

/// <summary>
/// The v2 write path (InfluxDB.Client, <c>/api/v2/write</c>) against a real VictoriaMetrics, compared with what the v1
/// path stores in a real influxd for the same points.
/// </summary>
[Collection(InfluxDbCollection.Name)]
public sealed class InfluxKpiStoreV2Tests(InfluxDbFixture influx, VictoriaMetricsFixture victoria) : IClassFixture<VictoriaMetricsFixture>
{
    private const string Match = "kpi_value";

    /// <summary>
    /// (labels, value, unix seconds): what both servers must agree on. Values at 12 significant digits, the precision
    /// VictoriaMetrics stores.
    /// </summary>
    private static string Key(IEnumerable<KeyValuePair<string, string>> labels, double value, long seconds) =>
        string.Join(',', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"))
        + $" {value.ToString("G12", CultureInfo.InvariantCulture)} {seconds}";

    /// <summary>The key of a point, its timestamp computed here from the zone rules, independently of the store.</summary>
    private static string Key(KpiPoint point)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Stores.Berlin);
        var midnight = TimeZoneInfo.ConvertTimeToUtc(point.Date.ToDateTime(TimeOnly.MinValue), zone);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kpi"] = point.Kpi,
            ["window"] = point.Window,
            ["scope"] = point.Department is null ? "org" : "department",
        };
        if (point.Department is not null)
        {
            labels["department"] = point.Department;
        }

        return Key(labels, point.Value, new DateTimeOffset(midnight).ToUnixTimeSeconds());
    }

    /// <summary>VictoriaMetrics' samples in [from, to+1) of the org zone: tests share one server and use separate days.</summary>
    private static List<string> VictoriaKeys(IEnumerable<VictoriaMetricsSeries> series, DateOnly from, DateOnly to)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Stores.Berlin);
        var start = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(from.ToDateTime(TimeOnly.MinValue), zone)).ToUnixTimeMilliseconds();
        var end = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(to.AddDays(1).ToDateTime(TimeOnly.MinValue), zone)).ToUnixTimeMilliseconds();
        return
        [
            .. series.SelectMany(s => s.Values.Zip(s.Timestamps, (v, t) => (Labels: s.Labels.Where(l => l.Key is not ("__name__" or "db")), Value: v, Ms: t)))
                .Where(x => x.Ms >= start && x.Ms < end)
                .Select(x => Key(x.Labels, x.Value, x.Ms / 1000))
                .Order(StringComparer.Ordinal),
        ];
    }

    [Fact]
    public async Task DetectServerAsync_AutoOnVictoriaMetrics_ChoosesV2()
    {
        using var store = Stores.Create(victoria.Url);

        var server = await store.DetectServerAsync();

        Assert.Equal(InfluxApi.V2, server.Api);
        Assert.Null(server.Version);
    }

    [Fact]
    public async Task ReplaceRangeAsync_V2OnVictoriaMetrics_StoresWhatV1StoresInInfluxDb()
    {
        var points = SamplePoints.AcrossBerlinDst();
        var database = influx.NewDatabase();
        using var v1 = Stores.Create(influx.Url, o => o.Database = database);
        await v1.EnsureReadyAsync();
        await v1.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, points);
        using var v2 = Stores.Create(victoria.Url, o => o.Bucket = "kpis");
        await v2.EnsureReadyAsync();

        var written = await v2.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, points);

        var exported = await victoria.WaitForExportAsync(Match, s => VictoriaKeys(s, SamplePoints.First, SamplePoints.Last).Count >= points.Count);
        var victoriaKeys = VictoriaKeys(exported, SamplePoints.First, SamplePoints.Last);
        var influxRows = InfluxJson.Rows(await influx.QueryAsync(database, "SELECT \"value\" FROM \"kpi\" GROUP BY *"));
        var influxKeys = influxRows
            .Select(r => Key(r.Tags, r.Values["value"].GetDouble(), r.Values["time"].GetInt64()))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(points.Count, written);
        Assert.Equal(points.Count, victoriaKeys.Count);
        Assert.Equal(influxKeys, victoriaKeys);

        // What ReadAsync gives back from influxd is what VictoriaMetrics holds.
        var read = await v1.ReadAllAsync(SamplePoints.First, SamplePoints.Last);
        Assert.Equal(points.Count, read.Count);
        Assert.Equal(victoriaKeys, read.Select(Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReplaceRangeAsync_V2WithoutDeleteEndpoint_WarnsOnceAndStillWrites()
    {
        var day = new DateOnly(2026, 6, 10);
        var logger = new CollectingLogger<InfluxKpiStore>();
        using var store = Stores.Create(victoria.Url, o => o.Token = "secret-token-value", logger);
        KpiPoint[] points = [new(day, null, "headcount", "day", 42), new(day, SamplePoints.Sales, "headcount", "day", 7)];

        await store.ReplaceRangeAsync(day, day, points);
        var written = await store.ReplaceRangeAsync(day, day, points);

        var exported = await victoria.WaitForExportAsync(Match, s => VictoriaKeys(s, day, day).Count >= points.Length);
        Assert.Equal(2, written);
        Assert.Equal(2, VictoriaKeys(exported, day, day).Count);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(2001, warning.EventId.Id);
        Assert.Contains(victoria.Url, warning.Message, StringComparison.Ordinal);
        Assert.All(logger.Entries, e => Assert.DoesNotContain("secret-token-value", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EnsureReadyAsync_VictoriaMetrics_SkipsBucketCreation()
    {
        var logger = new CollectingLogger<InfluxKpiStore>();
        using var store = Stores.Create(victoria.Url, o => o.Bucket = "kpis", logger);

        await store.EnsureReadyAsync();

        Assert.Contains(logger.Entries, e => e.EventId.Id == 2004 && e.Level == LogLevel.Debug);
        Assert.Contains(logger.Entries, e => e.EventId.Id == 2000 && e.Message.Contains("V2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReplaceRangeAsync_V2ForcedOnInfluxDb16_ThrowsWithTheServersStatus()
    {
        // influxd 1.6 has no /api/v2/write: InfluxDB.Client's failure must come out as a KpiStoreException with the status.
        var database = influx.NewDatabase();
        using var store = Stores.Create(influx.Url, o =>
        {
            o.Api = "v2";
            o.Bucket = database;
            o.Token = "secret-token-value";
        });
        await store.EnsureReadyAsync();

        var ex = await Assert.ThrowsAsync<KpiStoreException>(() => store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, SamplePoints.AcrossBerlinDst()));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Contains(influx.Url, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"bucket '{database}'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token-value", ex.ToString(), StringComparison.Ordinal);
    }
}
