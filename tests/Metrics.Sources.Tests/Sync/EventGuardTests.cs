using Metrics.Core.Events;
using Metrics.Sources.Sync;
using Microsoft.Extensions.Time.Testing;

namespace Metrics.Sources.Tests.Sync;

public sealed class EventGuardTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));

    private static readonly PlausibleTimeRange Range = PlausibleTimeRange.Default;

    private static CanonicalEvent E(DateTimeOffset time, string person = "ana@example.com", string? subject = "c1", EventType type = EventType.TrainingCompleted) =>
        new("lms", "id-1", type, time, person, subject, false, "{}");

    [Fact]
    public void Check_ValidEvent_Null() => Assert.Null(EventGuard.Check(E(Clock.GetUtcNow().AddDays(-1)), Clock.GetUtcNow(), Range));

    [Fact]
    public void Check_JustInsideTwoDaysAhead_Accepted() => Assert.Null(EventGuard.Check(E(Clock.GetUtcNow().AddDays(2)), Clock.GetUtcNow(), Range));

    [Theory]
    [InlineData("1999-12-31T23:59:59Z", "time 1999-12-31T23:59:59+00:00 is before the earliest accepted time 2000-01-01T00:00:00Z (Kpi:EarliestTime)")]
    [InlineData("2026-03-12T12:00:01Z", "time 2026-03-12T12:00:01+00:00 is more than 2.00:00:00 in the future (Kpi:MaxFutureSkew)")]
    public void Check_AbsurdTimes_Rejected(string time, string reason) =>
        Assert.Equal(reason, EventGuard.Check(E(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture)), Clock.GetUtcNow(), Range));

    [Fact]
    public void Check_MissingPersonOrSubject_Rejected()
    {
        Assert.Equal("missing identity", EventGuard.Check(E(Clock.GetUtcNow(), person: " "), Clock.GetUtcNow(), Range));
        Assert.Equal("missing or over-long course", EventGuard.Check(E(Clock.GetUtcNow(), subject: null), Clock.GetUtcNow(), Range));
        Assert.Null(EventGuard.Check(E(Clock.GetUtcNow(), subject: null, type: EventType.AiUsed), Clock.GetUtcNow(), Range));
    }

    [Fact]
    public void Check_ConfiguredRange_UsesItInsteadOfTheDefault()
    {
        var range = new PlausibleTimeRange(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1));
        var now = Clock.GetUtcNow();

        Assert.Contains("(Kpi:EarliestTime)", EventGuard.Check(E(new DateTimeOffset(2025, 12, 31, 23, 0, 0, TimeSpan.Zero)), now, range), StringComparison.Ordinal);
        Assert.Contains("(Kpi:MaxFutureSkew)", EventGuard.Check(E(now.AddHours(2)), now, range), StringComparison.Ordinal);
        Assert.Null(EventGuard.Check(E(now.AddMinutes(59)), now, range));
    }
}
