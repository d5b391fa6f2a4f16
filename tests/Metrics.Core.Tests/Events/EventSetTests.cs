using Metrics.Core.Events;

namespace Metrics.Core.Tests.Events;

public class EventSetTests
{
    private static CanonicalEvent E(string source, string id, EventType type, int day, string? subject = null) =>
        new(source, id, type, new DateTimeOffset(2026, 3, day, 12, 0, 0, TimeSpan.Zero), "p", subject, false, "{}");

    [Fact]
    public void Effective_DuplicateKey_LaterReplacesEarlier()
    {
        var result = EventSet.Effective([E("s", "1", EventType.AiUsed, 1), E("s", "1", EventType.AiUsed, 5)]);

        Assert.Equal(5, Assert.Single(result).Time.Day);
    }

    [Fact]
    public void Effective_RetractionBeforeTarget_RemovesTargetAndItself()
    {
        var result = EventSet.Effective([E("s", "r", EventType.EventRetracted, 2, "1"), E("s", "1", EventType.AiUsed, 1), E("s", "2", EventType.AiUsed, 1)]);

        Assert.Equal("2", Assert.Single(result).Id);
    }

    [Fact]
    public void Effective_RetractionOfOtherSourceOrUnknownTarget_DoesNothing()
    {
        var result = EventSet.Effective([E("other", "r", EventType.EventRetracted, 2, "1"), E("s", "x", EventType.EventRetracted, 2, "nope"), E("s", "1", EventType.AiUsed, 1)]);

        Assert.Equal("1", Assert.Single(result).Id);
    }
}
