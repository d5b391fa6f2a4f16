using Metrics.Core.Kpis;

namespace Metrics.Core.Tests.Kpis;

public class OrgCalendarTests
{
    [Fact]
    public void StartOf_DayAfterSpringForward_UsesSummerOffset()
    {
        var calendar = new OrgCalendar(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

        Assert.Equal(new DateTimeOffset(2026, 3, 30, 0, 0, 0, TimeSpan.FromHours(2)), calendar.StartOf(new DateOnly(2026, 3, 30)));
        Assert.Equal(new DateOnly(2026, 3, 29), calendar.DayOf(new DateTimeOffset(2026, 3, 29, 21, 59, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2026, 3, 30), calendar.DayOf(new DateTimeOffset(2026, 3, 29, 22, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void StartOf_MidnightSkippedByDst_IsFirstValidInstant()
    {
        // Chile springs forward at local midnight: 2026-09-06 00:00 does not exist in Santiago.
        var calendar = new OrgCalendar(TimeZoneInfo.FindSystemTimeZoneById("America/Santiago"));

        var start = calendar.StartOf(new DateOnly(2026, 9, 6));

        Assert.Equal(new DateOnly(2026, 9, 6), calendar.DayOf(start));
        Assert.Equal(new DateOnly(2026, 9, 5), calendar.DayOf(start.AddMinutes(-1)));
    }
}
