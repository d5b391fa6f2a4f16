using System.Globalization;

namespace Metrics.Simulator.Generation;

/// <summary>The calendar of the story: its days in the org zone and how to place a time on one of them.</summary>
public sealed class Story
{
    public Story(DateOnly first, DateOnly end, TimeZoneInfo zone, int seed)
    {
        First = first;
        End = end;
        Zone = zone;
        Seed = seed;
        EndInstant = At(end, TimeOnly.MinValue);
    }

    public DateOnly First { get; }

    /// <summary>Exclusive: the story has no day on or after it.</summary>
    public DateOnly End { get; }

    /// <summary>Midnight at the start of <see cref="End"/> in the org zone: every time and every stored time is before it.</summary>
    public DateTimeOffset EndInstant { get; }

    public TimeZoneInfo Zone { get; }

    public int Seed { get; }

    public int Days => End.DayNumber - First.DayNumber;

    public IEnumerable<DateOnly> AllDays => Enumerable.Range(0, Days).Select(First.AddDays);

    /// <summary>How far through the story a day is, 0 at the start and close to 1 at the end.</summary>
    public double Progress(DateOnly day) => (day.DayNumber - First.DayNumber) / (double)Days;

    public DateOnly DayAt(double fraction) => First.AddDays(Math.Clamp((int)Math.Round(fraction * Days), 0, Days - 1));

    public static bool IsWorkday(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>A local time on a day, with the zone's offset on that day.</summary>
    public DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        if (Zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>A working-hours time (08:00 to 17:59:59) on a day, whole seconds.</summary>
    public DateTimeOffset WorkTime(DateOnly day, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return At(day, new TimeOnly(8, 0).Add(TimeSpan.FromSeconds(rng.Between(0, 10 * 3600 - 1))));
    }

    public DateOnly DayOf(DateTimeOffset time) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, Zone).DateTime);

    /// <summary>Clamps a later time (a store, an update) to just before the end of the story.</summary>
    public DateTimeOffset BeforeEnd(DateTimeOffset time) => time < EndInstant.AddMinutes(-1) ? time : EndInstant.AddMinutes(-1);

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
