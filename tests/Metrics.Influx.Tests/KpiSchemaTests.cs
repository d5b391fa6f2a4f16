using System.Globalization;
using Metrics.Core.Kpis;
using Metrics.Influx;

namespace Metrics.Influx.Tests;

public sealed class KpiSchemaTests
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

    public static TheoryData<KpiPoint, bool> TrendPoints => new()
    {
        { new KpiPoint(new DateOnly(2026, 3, 3), "Sales", "training_completion_rate", "day", 0.5), true },
        { new KpiPoint(new DateOnly(2026, 3, 3), "Sales", "ai_usage_rate", "28d", 0.5), true },
        { new KpiPoint(new DateOnly(2026, 3, 3), null, "training_completion_rate", "day", 0.5), false },
        { new KpiPoint(new DateOnly(2026, 3, 3), "Sales", "ai_usage_rate", "7d", 0.5), false },
        { new KpiPoint(new DateOnly(2026, 3, 3), "Sales", "headcount", "day", 5), false },
        { new KpiPoint(new DateOnly(2026, 3, 3), "Sales", "training_completion_rate", "day", 0.5, Metrics.Core.Directory.Level.Manager), false },
        { new KpiPoint(new DateOnly(2026, 3, 3), "Sales", "ai_usage_rate", "28d", 0.5, Tool: "word"), false },
    };

    [Theory]
    [MemberData(nameof(TrendPoints))]
    public void IsTrend_Point_OnlyDepartmentPointsOfTheBoardsTrends(KpiPoint point, bool trend) =>
        Assert.Equal(trend, KpiSchema.IsTrend(point));

    [Theory]
    [InlineData("2026-03-08", "2026-03-10", 3_153_600_000)] // a Sunday
    [InlineData("2026-03-10", "2026-03-10", 3_153_600_000)] // the recompute's last day, a Tuesday
    [InlineData("2026-03-09", "2026-03-10", 10_368_000)]
    [InlineData("2026-03-10", "2026-03-11", 10_368_000)]
    public void TrendMaxRangeSeconds_Day_IsAnyRangeForSundaysAndTheLastDayElse120Days(string date, string to, long expected) =>
        Assert.Equal(expected, KpiSchema.TrendMaxRangeSeconds(DateOnly.Parse(date, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("UTC", "2026-03-02", "2026-03-02T00:00:00Z")]
    // Berlin: standard time before the switch on 2026-03-29 at 02:00, summer time after.
    [InlineData("Europe/Berlin", "2026-03-28", "2026-03-27T23:00:00Z")]
    [InlineData("Europe/Berlin", "2026-03-29", "2026-03-28T23:00:00Z")]
    [InlineData("Europe/Berlin", "2026-03-30", "2026-03-29T22:00:00Z")]
    [InlineData("Europe/Berlin", "2026-10-25", "2026-10-24T22:00:00Z")]
    [InlineData("Europe/Berlin", "2026-10-26", "2026-10-25T23:00:00Z")]
    [InlineData("Asia/Kolkata", "2026-03-02", "2026-03-01T18:30:00Z")]
    public void DayStart_ValidMidnight_IsLocalMidnight(string zone, string date, string expected)
    {
        var start = KpiSchema.DayStart(DateOnly.Parse(date, CultureInfo.InvariantCulture), Zone(zone));

        Assert.Equal(Utc(expected), start);
    }

    [Fact]
    public void DayStart_MidnightInDstGap_IsFirstInstantAfterTheGap()
    {
        // Cuba springs forward at midnight: 2026-03-08 00:00 CST becomes 01:00 CDT (UTC-4), so the day begins at 05:00Z.
        var havana = Zone("America/Havana");
        var date = new DateOnly(2026, 3, 8);
        Assert.True(havana.IsInvalidTime(date.ToDateTime(TimeOnly.MinValue)));

        var start = KpiSchema.DayStart(date, havana);

        Assert.Equal(Utc("2026-03-08T05:00:00Z"), start);
        Assert.Equal(date, KpiSchema.DateOf(start, havana));
        Assert.Equal(date.AddDays(-1), KpiSchema.DateOf(start.AddSeconds(-1), havana));
    }

    [Fact]
    public void DayStart_AmbiguousMidnight_IsFirstOccurrence()
    {
        // Cuba falls back at 01:00 CDT to 00:00 CST on 2026-11-01, so midnight happens at 04:00Z and again at 05:00Z.
        var havana = Zone("America/Havana");
        var date = new DateOnly(2026, 11, 1);
        Assert.True(havana.IsAmbiguousTime(date.ToDateTime(TimeOnly.MinValue)));

        var start = KpiSchema.DayStart(date, havana);

        Assert.Equal(Utc("2026-11-01T04:00:00Z"), start);
        Assert.Equal(date.AddDays(-1), KpiSchema.DateOf(start.AddSeconds(-1), havana));
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("Europe/Berlin")]
    [InlineData("America/Havana")]
    [InlineData("America/Santiago")]
    [InlineData("Australia/Lord_Howe")]
    [InlineData("Asia/Kathmandu")]
    [InlineData("Pacific/Chatham")]
    public void DateOf_DayStartOfEveryDay_RoundTripsAndIsWholeSeconds(string zoneId)
    {
        var zone = Zone(zoneId);
        DateTimeOffset? previous = null;
        for (var date = new DateOnly(2020, 1, 1); date <= new DateOnly(2030, 12, 31); date = date.AddDays(1))
        {
            var start = KpiSchema.DayStart(date, zone);

            Assert.Equal(date, KpiSchema.DateOf(start, zone));
            Assert.Equal(date.AddDays(-1), KpiSchema.DateOf(start.AddSeconds(-1), zone));
            Assert.Equal(0, start.UtcTicks % TimeSpan.TicksPerSecond);
            Assert.True(previous is null || start > previous, $"{date} does not start after the day before");
            previous = start;
        }
    }
}
