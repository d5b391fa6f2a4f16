using Metrics.Core.Events;
using Metrics.Sources.Sync;
using Microsoft.Extensions.Time.Testing;

namespace Metrics.Sources.Tests.Sync;

public sealed class EventGuardTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero));

    private static CanonicalEvent E(DateTimeOffset time, string person = "ana@example.com", string? subject = "c1", EventType type = EventType.TrainingCompleted) =>
        new("lms", "id-1", type, time, person, subject, false, "{}");

    [Fact]
    public void Check_ValidEvent_Null() => Assert.Null(EventGuard.Check(E(Clock.GetUtcNow().AddDays(-1)), Clock.GetUtcNow()));

    [Fact]
    public void Check_JustInsideTwoDaysAhead_Accepted() => Assert.Null(EventGuard.Check(E(Clock.GetUtcNow().AddDays(2)), Clock.GetUtcNow()));

    [Theory]
    [InlineData("1999-12-31T23:59:59Z", "time before 2000")]
    [InlineData("2026-03-12T12:00:01Z", "time more than 2 days in the future")]
    public void Check_AbsurdTimes_Rejected(string time, string reason) =>
        Assert.Equal(reason, EventGuard.Check(E(DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture)), Clock.GetUtcNow()));

    [Fact]
    public void Check_MissingPersonOrSubject_Rejected()
    {
        Assert.Equal("missing identity", EventGuard.Check(E(Clock.GetUtcNow(), person: " "), Clock.GetUtcNow()));
        Assert.Equal("missing or over-long course", EventGuard.Check(E(Clock.GetUtcNow(), subject: null), Clock.GetUtcNow()));
        Assert.Null(EventGuard.Check(E(Clock.GetUtcNow(), subject: null, type: EventType.AiUsed), Clock.GetUtcNow()));
    }
}
