using Metrics.Core.Events;

namespace Metrics.Core.Tests.Events;

public class PlausibleTimeRangeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0001-01-01T00:00:00+00:00", "Kpi:EarliestTime")]
    [InlineData("1900-06-01T00:00:00+00:00", "Kpi:EarliestTime")]
    [InlineData("1999-12-31T23:59:59+00:00", "Kpi:EarliestTime")]
    [InlineData("2026-12-04T12:00:01+00:00", "Kpi:MaxFutureSkew")]
    [InlineData("9999-12-31T00:00:00+00:00", "Kpi:MaxFutureSkew")]
    public void Check_ImplausibleTime_NamesTheSetting(string time, string setting)
    {
        var reason = PlausibleTimeRange.Default.Check(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture), Now);

        Assert.NotNull(reason);
        Assert.Contains(setting, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2000-01-01T00:00:00+00:00")]
    [InlineData("2026-12-02T12:00:00+00:00")]
    [InlineData("2026-12-04T12:00:00+00:00")]
    public void Check_PlausibleTime_ReturnsNull(string time) =>
        Assert.Null(PlausibleTimeRange.Default.Check(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture), Now));

    [Fact]
    public void Validate_EarliestBefore1900_NamesTheSetting() =>
        Assert.Contains("Kpi:EarliestTime", new PlausibleTimeRange(DateTimeOffset.MinValue, TimeSpan.Zero).Validate(), StringComparison.Ordinal);

    [Fact]
    public void Validate_NegativeSkew_NamesTheSetting() =>
        Assert.Contains("Kpi:MaxFutureSkew", new PlausibleTimeRange(PlausibleTimeRange.DefaultEarliest, TimeSpan.FromDays(-1)).Validate(), StringComparison.Ordinal);

    [Fact]
    public void EarliestDay_ZoneEastOfUtc_IsTheLocalDate() =>
        Assert.Equal(new DateOnly(2000, 1, 1), PlausibleTimeRange.Default.EarliestDay(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")));
}
