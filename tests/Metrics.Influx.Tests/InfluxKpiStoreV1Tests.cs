using System.Globalization;
using System.Net;
using Metrics.Core.Kpis;
using Metrics.Testing;

namespace Metrics.Influx.Tests;

/// <summary>The store against a real InfluxDB 1.6.7, which only has the v1 write API.</summary>
[Collection(InfluxDbCollection.Name)]
public sealed class InfluxKpiStoreV1Tests(InfluxDbFixture influx)
{
    private async Task<InfluxKpiStore> NewStoreAsync(string database, Action<InfluxOptions>? configure = null)
    {
        var store = Stores.Create(influx.Url, o =>
        {
            o.Database = database;
            configure?.Invoke(o);
        });
        await store.EnsureReadyAsync();
        return store;
    }

    private async Task<int> CountAsync(string database, string influxql) =>
        InfluxJson.Rows(await influx.QueryAsync(database, influxql)).Count;

    [Fact]
    public async Task DetectServerAsync_AutoOnInfluxDb16_ChoosesV1()
    {
        using var store = Stores.Create(influx.Url);

        var server = await store.DetectServerAsync();

        Assert.Equal(InfluxApi.V1, server.Api);
        Assert.StartsWith("1.6.", server.Version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureReadyAsync_V1_CreatesTheDatabaseIdempotently()
    {
        var database = influx.NewDatabase();
        using var store = Stores.Create(influx.Url, o => o.Database = database);

        await store.EnsureReadyAsync();
        await store.EnsureReadyAsync();

        var names = InfluxJson.Rows(await influx.QueryAsync(null, "SHOW DATABASES")).Select(r => r.Values["name"].GetString()).ToList();
        Assert.Contains(database, names);
    }

    [Fact]
    public async Task EnsureReadyAsync_V1NewDatabase_GetsYearLongShardGroups()
    {
        var database = influx.NewDatabase();
        using var store = Stores.Create(influx.Url, o => o.Database = database);

        await store.EnsureReadyAsync();

        var policy = Assert.Single(InfluxJson.Rows(await influx.QueryAsync(database, "SHOW RETENTION POLICIES")));
        Assert.Equal("8736h0m0s", policy.Values["shardGroupDuration"].GetString());
    }

    [Fact]
    public async Task EnsureReadyAsync_V1ExistingDatabaseWithWeekShards_KeepsItsPolicyAndWrites()
    {
        var database = influx.NewDatabase();
        await influx.QueryAsync(null, $"CREATE DATABASE \"{database}\"");
        using var store = await NewStoreAsync(database);

        await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, SamplePoints.AcrossBerlinDst());

        var policy = Assert.Single(InfluxJson.Rows(await influx.QueryAsync(database, "SHOW RETENTION POLICIES")));
        Assert.Equal("168h0m0s", policy.Values["shardGroupDuration"].GetString());
        Assert.True(await CountAsync(database, "SELECT \"value\" FROM \"kpi\"") > 0);
    }

    [Fact]
    public async Task EnsureReadyAsync_CreateIfMissingOff_LeavesTheServerAlone()
    {
        var database = influx.NewDatabase();
        using var store = Stores.Create(influx.Url, o =>
        {
            o.Database = database;
            o.CreateIfMissing = false;
        });

        await store.EnsureReadyAsync();

        var names = InfluxJson.Rows(await influx.QueryAsync(null, "SHOW DATABASES")).Select(r => r.Values["name"].GetString()).ToList();
        Assert.DoesNotContain(database, names);
    }

    [Fact]
    public async Task ReplaceRangeAsync_ThenReadAsync_ReturnsExactlyThePointsInOrder()
    {
        using var store = await NewStoreAsync(influx.NewDatabase());
        var points = SamplePoints.AcrossBerlinDst();

        var written = await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, points);
        var read = await store.ReadAllAsync(SamplePoints.First, SamplePoints.Last);

        Assert.Equal(points.Count, written);
        Assert.Equal(SamplePoints.InReadOrder(points), read);
    }

    [Fact]
    public async Task ReplaceRangeAsync_TierPoints_GoToTheirOwnMeasurementAndAreReplacedWithTheRange()
    {
        var database = influx.NewDatabase();
        using var store = await NewStoreAsync(database);
        var day = SamplePoints.First;
        KpiPoint[] points =
        [
            new(day, null, "training_completion_rate", "day", 0.5),
            new(day, null, "training_completion_rate", "day", 0.25, Metrics.Core.Directory.Level.Frontline),
            new(day, "Sales", "training_completion_rate", "day", 0.75, Metrics.Core.Directory.Level.Specialist),
        ];

        await store.ReplaceRangeAsync(day, day, points);

        Assert.Equal([points[0]], await store.ReadAllAsync(day, day));
        var tiers = await influx.QueryAsync(database, "SELECT \"value\" FROM \"kpi_by_level\" GROUP BY \"level\", \"department\"");
        Assert.Contains("\"level\":\"frontline\"", tiers, StringComparison.Ordinal);
        Assert.Contains("\"level\":\"specialist\"", tiers, StringComparison.Ordinal);
        Assert.Equal(2, await CountAsync(database, "SELECT \"value\" FROM \"kpi_by_level\""));

        await store.ReplaceRangeAsync(day, day, [points[0]]);

        Assert.Equal(0, await CountAsync(database, "SELECT \"value\" FROM \"kpi_by_level\""));
    }

    [Fact]
    public async Task ReplaceRangeAsync_ToolPoints_GoToKpiByToolAreReadBackWithTheirToolAndReplacedWithTheRange()
    {
        var database = influx.NewDatabase();
        using var store = await NewStoreAsync(database);
        var day = SamplePoints.First;
        KpiPoint[] points =
        [
            new(day, null, "active_ai_users", "28d", 4),
            new(day, null, "ai_tool_users", "28d", 3, Tool: "word"),
            new(day, null, "ai_tool_users", "28d", 2, Tool: "github-copilot"),
            new(day, "Sales", "ai_tool_usage_rate", "28d", 0.25, Tool: "word"),
        ];

        await store.ReplaceRangeAsync(day, day, points);

        Assert.Equal(SamplePoints.InReadOrder(points), await store.ReadAllAsync(day, day));
        Assert.Equal(1, await CountAsync(database, "SELECT \"value\" FROM \"kpi\""));
        var byTool = await influx.QueryAsync(database, "SELECT \"value\" FROM \"kpi_by_tool\" WHERE \"tool\" = 'word' GROUP BY \"department\"");
        Assert.Contains("\"department\":\"Sales\"", byTool, StringComparison.Ordinal);
        Assert.Equal(3, await CountAsync(database, "SELECT \"value\" FROM \"kpi_by_tool\""));

        await store.ReplaceRangeAsync(day, day, [points[0]]);

        Assert.Equal(0, await CountAsync(database, "SELECT \"value\" FROM \"kpi_by_tool\""));
    }

    [Fact]
    public async Task ReplaceRangeAsync_TrendKpis_RepeatTheirDepartmentPointsInKpiTrendWithTheRangeThatDrawsThem()
    {
        // 2026-03-28 is a Saturday, the 29th a Sunday, the 30th a Monday.
        var database = influx.NewDatabase();
        using var store = await NewStoreAsync(database);
        var points = new List<KpiPoint>();
        for (var day = SamplePoints.First; day <= SamplePoints.Last; day = day.AddDays(1))
        {
            points.Add(new(day, null, "training_completion_rate", "day", 0.5));
            points.Add(new(day, SamplePoints.Awkward, "training_completion_rate", "day", day.Day / 100.0));
            points.Add(new(day, "Sales", "ai_usage_rate", "28d", 1.0 / 3.0));
            points.Add(new(day, "Sales", "ai_usage_rate", "7d", 0.25));
            points.Add(new(day, "Sales", "training_completion_rate", "day", 0.75, Metrics.Core.Directory.Level.Specialist));
        }

        var written = await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, points);

        Assert.Equal(points.Count, written);
        Assert.Equal(SamplePoints.InReadOrder(points.Where(p => p.Level is null)), await store.ReadAllAsync(SamplePoints.First, SamplePoints.Last));
        var trend = InfluxJson.Rows(await influx.QueryAsync(database, "SELECT \"value\", \"max_range_s\" FROM \"kpi_trend\" GROUP BY *"))
            .Select(r => (r.Tags["department"], r.Tags["kpi"], r.Tags["window"], r.Tags["scope"], r.Values["time"].GetInt64(), r.Values["value"].GetDouble(), r.Values["max_range_s"].GetDouble()))
            .Order()
            .ToList();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(Stores.Berlin);
        var expected = points
            .Where(p => p.Department is not null && p.Level is null && p.Window != "7d")
            .Select(p => (p.Department!, p.Kpi, p.Window, "department", KpiSchema.DayStart(p.Date, zone).ToUnixTimeSeconds(), p.Value,
                p.Date.Day is 29 or 30 ? 3_153_600_000.0 : 10_368_000.0))
            .Order()
            .ToList();
        Assert.Equal(expected, trend);

        // A recompute of the Sunday alone deletes its trend points with the range.
        await store.ReplaceRangeAsync(new DateOnly(2026, 3, 29), new DateOnly(2026, 3, 29), []);

        Assert.Equal(4, await CountAsync(database, "SELECT \"value\" FROM \"kpi_trend\""));
    }

    [Fact]
    public async Task ReplaceRangeAsync_ToolWithAControlCharacter_FailsNamingTheTag()
    {
        using var store = await NewStoreAsync(influx.NewDatabase());
        var day = SamplePoints.First;

        var ex = await Assert.ThrowsAsync<KpiStoreException>(() =>
            store.ReplaceRangeAsync(day, day, [new KpiPoint(day, null, "ai_tool_users", "28d", 1, Tool: "word\u0007")]));

        Assert.Contains("'tool'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaceRangeAsync_BerlinAcrossDst_TimestampsAreLocalMidnightAndValuesFloats()
    {
        var database = influx.NewDatabase();
        using var store = await NewStoreAsync(database);

        await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, SamplePoints.AcrossBerlinDst());

        var rows = InfluxJson.Rows(await influx.QueryAsync(database, "SELECT \"value\" FROM \"kpi\" WHERE \"kpi\" = 'headcount' AND \"scope\" = 'org'"));
        var times = rows.Select(r => DateTimeOffset.FromUnixTimeSeconds(r.Values["time"].GetInt64())).ToList();
        Assert.Equal(
            [
                DateTimeOffset.Parse("2026-03-27T23:00:00Z", CultureInfo.InvariantCulture),
                DateTimeOffset.Parse("2026-03-28T23:00:00Z", CultureInfo.InvariantCulture),
                DateTimeOffset.Parse("2026-03-29T22:00:00Z", CultureInfo.InvariantCulture),
            ],
            times);
        Assert.Equal([148.0, 149.0, 150.0], rows.Select(r => r.Values["value"].GetDouble()));

        var fields = InfluxJson.Rows(await influx.QueryAsync(database, "SHOW FIELD KEYS FROM \"kpi\""));
        var field = Assert.Single(fields);
        Assert.Equal("value", field.Values["fieldKey"].GetString());
        Assert.Equal("float", field.Values["fieldType"].GetString());
    }

    [Fact]
    public async Task ReplaceRangeAsync_Tags_FollowTheSchema()
    {
        var database = influx.NewDatabase();
        using var store = await NewStoreAsync(database);

        await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, SamplePoints.AcrossBerlinDst());

        var rows = InfluxJson.Rows(await influx.QueryAsync(database, "SELECT \"value\" FROM \"kpi\" GROUP BY *"));
        Assert.All(rows, r => Assert.Equal("kpi", r.Series));
        var org = rows.Where(r => r.Tags["scope"] == "org").ToList();
        Assert.NotEmpty(org);
        Assert.All(org, r => Assert.False(r.Tags.ContainsKey("department")));
        var departments = rows.Where(r => r.Tags["scope"] == "department").Select(r => r.Tags["department"]).ToHashSet();
        Assert.Equal(
            new HashSet<string> { SamplePoints.Sales, KpiCatalog.SmallGroups, SamplePoints.Awkward, SamplePoints.Quoted },
            departments);
        Assert.All(rows, r => Assert.Equal(new[] { "department", "kpi", "scope", "window" }.Where(r.Tags.ContainsKey), r.Tags.Keys.Order(StringComparer.Ordinal)));
    }

    [Theory]
    [InlineData(SamplePoints.Quoted)]
    [InlineData(SamplePoints.Awkward)]
    [InlineData(KpiCatalog.SmallGroups)]
    [InlineData(SamplePoints.Sales)]
    public async Task ReadAsync_Department_ReadsOnlyThatDepartment(string department)
    {
        using var store = await NewStoreAsync(influx.NewDatabase());
        var points = SamplePoints.AcrossBerlinDst();
        await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, points);

        var read = await store.ReadAllAsync(SamplePoints.First, SamplePoints.Last, department);

        Assert.Equal(SamplePoints.InReadOrder(points.Where(p => p.Department == department)), read);
    }

    [Fact]
    public async Task ReadAsync_EmptyDepartment_IsRejectedRatherThanReadingTheOrg()
    {
        using var store = Stores.Create(influx.Url);

        await Assert.ThrowsAsync<ArgumentException>(() => store.ReadAllAsync(SamplePoints.First, SamplePoints.Last, ""));
    }

    [Fact]
    public async Task ReadAsync_SubRange_ReadsOnlyThoseDays()
    {
        using var store = await NewStoreAsync(influx.NewDatabase());
        var points = SamplePoints.AcrossBerlinDst();
        await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, points);

        var middle = SamplePoints.First.AddDays(1);
        var read = await store.ReadAllAsync(middle, middle);

        Assert.Equal(SamplePoints.InReadOrder(points.Where(p => p.Date == middle)), read);
    }

    [Fact]
    public async Task ReadAsync_RangeSpanningSeveralChunks_ReturnsEveryDayInOrder()
    {
        using var store = await NewStoreAsync(influx.NewDatabase());
        var from = new DateOnly(2025, 12, 1);
        var to = from.AddDays((2 * InfluxKpiStore.ReadChunkDays) + 7);
        var points = Enumerable.Range(0, to.DayNumber - from.DayNumber + 1)
            .SelectMany(i => new[]
            {
                new KpiPoint(from.AddDays(i), null, "headcount", "day", 100 + i),
                new KpiPoint(from.AddDays(i), SamplePoints.Sales, "headcount", "day", 10 + i),
            })
            .ToList();
        await store.ReplaceRangeAsync(from, to, points);

        var read = await store.ReadAllAsync(from, to);

        Assert.Equal(SamplePoints.InReadOrder(points), read);
    }

    [Fact]
    public async Task ReplaceRangeAsync_SamePointsTwice_SameSeriesAndPoints()
    {
        var database = influx.NewDatabase();
        using var store = await NewStoreAsync(database);
        var points = SamplePoints.AcrossBerlinDst();

        await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, points);
        var seriesOnce = await CountAsync(database, "SHOW SERIES FROM \"kpi\"");
        var rowsOnce = await CountAsync(database, "SELECT \"value\" FROM \"kpi\"");
        await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, points);
        var seriesTwice = await CountAsync(database, "SHOW SERIES FROM \"kpi\"");
        var rowsTwice = await CountAsync(database, "SELECT \"value\" FROM \"kpi\"");

        Assert.Equal(points.Count, rowsOnce);
        Assert.Equal(rowsOnce, rowsTwice);
        Assert.Equal(seriesOnce, seriesTwice);
        Assert.Equal(SamplePoints.InReadOrder(points), await store.ReadAllAsync(SamplePoints.First, SamplePoints.Last));
    }

    [Fact]
    public async Task ReplaceRangeAsync_PointNoLongerProduced_IsGoneAndDaysOutsideTheRangeAreUntouched()
    {
        using var store = await NewStoreAsync(influx.NewDatabase());
        var from = new DateOnly(2026, 3, 25);
        var to = new DateOnly(2026, 3, 31);
        var points = Enumerable.Range(0, 7)
            .SelectMany(i => new[]
            {
                new KpiPoint(from.AddDays(i), null, "ai_usage_rate", "7d", 0.5),
                new KpiPoint(from.AddDays(i), SamplePoints.Sales, "ai_usage_rate", "7d", 0.25),
            })
            .ToList();
        await store.ReplaceRangeAsync(from, to, points);

        // Recompute 03-28..03-29: Sales fell below the minimum group size on 03-29, and the org rate changed.
        var recomputeFrom = new DateOnly(2026, 3, 28);
        var recomputeTo = new DateOnly(2026, 3, 29);
        var recomputed = new List<KpiPoint>
        {
            new(recomputeFrom, null, "ai_usage_rate", "7d", 0.6),
            new(recomputeFrom, SamplePoints.Sales, "ai_usage_rate", "7d", 0.25),
            new(recomputeTo, null, "ai_usage_rate", "7d", 0.7),
        };
        var written = await store.ReplaceRangeAsync(recomputeFrom, recomputeTo, recomputed);

        var expected = points.Where(p => p.Date < recomputeFrom || p.Date > recomputeTo).Concat(recomputed);
        Assert.Equal(3, written);
        Assert.Equal(SamplePoints.InReadOrder(expected), await store.ReadAllAsync(from, to));
    }

    [Fact]
    public async Task ReplaceRangeAsync_EmptyPoints_ClearsTheRange()
    {
        var database = influx.NewDatabase();
        using var store = await NewStoreAsync(database);
        await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, SamplePoints.AcrossBerlinDst());

        var written = await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, []);

        Assert.Equal(0, written);
        Assert.Equal(0, await CountAsync(database, "SELECT \"value\" FROM \"kpi\""));
    }

    [Fact]
    public async Task ReplaceRangeAsync_SmallBatches_WritesEveryPoint()
    {
        var database = influx.NewDatabase();
        using var store = await NewStoreAsync(database, o => o.BatchSize = 4);
        var points = SamplePoints.AcrossBerlinDst();

        var written = await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, points);

        Assert.Equal(27, points.Count);
        Assert.Equal(points.Count, written);
        Assert.Equal(points.Count, await CountAsync(database, "SELECT \"value\" FROM \"kpi\""));
    }

    [Fact]
    public async Task ReplaceRangeAsync_SourceFailsMidway_FullBatchesWereAlreadyWritten()
    {
        var database = influx.NewDatabase();
        using var store = await NewStoreAsync(database, o => o.BatchSize = 3);
        var points = SamplePoints.AcrossBerlinDst();

        IEnumerable<KpiPoint> FailingAfterSeven()
        {
            foreach (var point in points.Take(7))
            {
                yield return point;
            }

            throw new InvalidOperationException("source broke");
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, FailingAfterSeven()));

        // Batches go out while the points stream in: two full batches of 3 were stored before the failure.
        Assert.Equal(6, await CountAsync(database, "SELECT \"value\" FROM \"kpi\""));
    }

    [Fact]
    public async Task ReplaceRangeAsync_RetentionPolicy_WritesAndReadsThroughIt()
    {
        var database = influx.NewDatabase();
        await influx.QueryAsync(null, $"CREATE DATABASE \"{database}\"");
        await influx.QueryAsync(null, $"CREATE RETENTION POLICY \"kpis\" ON \"{database}\" DURATION 0s REPLICATION 1");
        using var store = Stores.Create(influx.Url, o =>
        {
            o.Database = database;
            o.RetentionPolicy = "kpis";
        });
        var points = SamplePoints.AcrossBerlinDst();

        await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, points);

        Assert.Equal(points.Count, await CountAsync(database, $"SELECT \"value\" FROM \"{database}\".\"kpis\".\"kpi\""));
        Assert.Equal(0, await CountAsync(database, "SELECT \"value\" FROM \"kpi\""));
        Assert.Equal(SamplePoints.InReadOrder(points), await store.ReadAllAsync(SamplePoints.First, SamplePoints.Last));
    }

    [Fact]
    public async Task ReplaceRangeAsync_MissingRetentionPolicy_ThrowsWithStatusAndServerMessage()
    {
        using var store = await NewStoreAsync(influx.NewDatabase(), o => o.RetentionPolicy = "nope");

        var ex = await Assert.ThrowsAsync<KpiStoreException>(() => store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, SamplePoints.AcrossBerlinDst()));

        // influxd 1.6 answers 500 for an unknown retention policy.
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Contains("retention policy not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains(influx.Url, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_MissingDatabase_ThrowsWithServerMessage()
    {
        using var store = Stores.Create(influx.Url, o => o.Database = influx.NewDatabase());

        var ex = await Assert.ThrowsAsync<KpiStoreException>(() => store.ReadAllAsync(SamplePoints.First, SamplePoints.Last));

        Assert.Contains("database not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaceRangeAsync_MissingDatabase_Throws()
    {
        using var store = Stores.Create(influx.Url, o =>
        {
            o.Database = influx.NewDatabase();
            o.CreateIfMissing = false;
        });

        var ex = await Assert.ThrowsAsync<KpiStoreException>(() => store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, SamplePoints.AcrossBerlinDst()));

        Assert.Contains("database not found", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<KpiPoint, string> Unstorable => new()
    {
        { new KpiPoint(SamplePoints.Last.AddDays(1), null, "headcount", "day", 1), "outside the replaced range" },
        { new KpiPoint(SamplePoints.First, null, "ai_usage_rate", "7d", double.NaN), "no finite value" },
        { new KpiPoint(SamplePoints.First, null, "ai_usage_rate", "7d", double.PositiveInfinity), "no finite value" },
        { new KpiPoint(SamplePoints.First, "R\\D", "headcount", "day", 1), "tag 'department'" },
        { new KpiPoint(SamplePoints.First, "Ops\n", "headcount", "day", 1), "tag 'department'" },
        { new KpiPoint(SamplePoints.First, "", "headcount", "day", 1), "tag 'department'" },
        { new KpiPoint(SamplePoints.First, null, "", "day", 1), "tag 'kpi'" },
    };

    [Theory]
    [MemberData(nameof(Unstorable))]
    public async Task ReplaceRangeAsync_UnstorablePoint_ThrowsNamingTheProblem(KpiPoint point, string problem)
    {
        using var store = await NewStoreAsync(influx.NewDatabase());

        var ex = await Assert.ThrowsAsync<KpiStoreException>(() => store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, [point]));

        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task ReplaceRangeAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var store = await NewStoreAsync(influx.NewDatabase());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, SamplePoints.AcrossBerlinDst(), cancelled.Token));
    }

    [Fact]
    public async Task ReplaceRangeAsync_ToBeforeFrom_Throws()
    {
        using var store = Stores.Create(influx.Url);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ReplaceRangeAsync(SamplePoints.Last, SamplePoints.First, []));
    }

    [Fact]
    public async Task ReadAsync_ServerAnswersHttpError_CarriesTheStatus()
    {
        // Not an InfluxDB path at all: influxd answers 404 itself.
        using var store = Stores.Create(influx.Url + "/nowhere");

        var ex = await Assert.ThrowsAsync<KpiStoreException>(() => store.ReadAllAsync(SamplePoints.First, SamplePoints.Last));

        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
    }
}
