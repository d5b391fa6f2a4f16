using System.Globalization;
using Metrics.Worker.Reports;

namespace Metrics.Worker.Tests.Reports;

public sealed class DigestSchedulerTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Theory]
    // Wednesday 2026-12-02 12:00 UTC (13:00 in Berlin, winter time): next Monday 07:00 Berlin is 06:00 UTC.
    [InlineData("2026-12-02T12:00:00Z", "2026-12-07T06:00:00Z")]
    // Monday 05:59 UTC is 06:59 in Berlin: the same morning.
    [InlineData("2026-12-07T05:59:00Z", "2026-12-07T06:00:00Z")]
    // Exactly at the run: the next one is a week later, never the same instant twice.
    [InlineData("2026-12-07T06:00:00Z", "2026-12-14T06:00:00Z")]
    // Summer time: Monday 07:00 Berlin is 05:00 UTC.
    [InlineData("2026-06-30T12:00:00Z", "2026-07-06T05:00:00Z")]
    public void NextRun_MondaySevenInBerlin_FirstSuchInstantAfterNow(string now, string expected)
    {
        var next = DigestScheduler.NextRun(DateTimeOffset.Parse(now, CultureInfo.InvariantCulture), Berlin, DayOfWeek.Monday, TimeSpan.FromHours(7));

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void NextRun_WallTimeSkippedBySpringForward_TakenAnHourLater()
    {
        // Sunday 2026-03-29 02:30 does not exist in Berlin (02:00 -> 03:00); 03:30 CEST is 01:30 UTC.
        var next = DigestScheduler.NextRun(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero), Berlin, DayOfWeek.Sunday, new TimeSpan(2, 30, 0));

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), next);
    }

    [Theory]
    [InlineData("1.00:00:00")]
    [InlineData("-00:01:00")]
    public void Validate_WeeklyAtOutsideTheDay_FailsNamingTheSetting(string at)
    {
        var options = new ReportOptions { Weekly = { Enabled = true, At = TimeSpan.Parse(at, CultureInfo.InvariantCulture) } };

        var result = new ReportOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Report:Weekly:At", result.FailureMessage, StringComparison.Ordinal);
    }
}
