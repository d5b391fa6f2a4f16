using System.Globalization;
using Metrics.Influx;

namespace Metrics.Influx.Tests;

public sealed class KpiSchemaTests
{
    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static TimeZoneInfo Zone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);

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
