using Metrics.Core.Events;

namespace Metrics.Journal.Tests;

public sealed class StoredEventTypesTests
{
    [Fact]
    public void ToCode_EveryType_MatchesTheCodesAlreadyWrittenToFiles()
    {
        // These codes are in every journal file ever written: this table may grow, never change.
        var expected = new Dictionary<string, int>
        {
            ["ai.used"] = 1,
            ["training.enrolled"] = 2,
            ["training.completed"] = 3,
            ["proposal.submitted"] = 4,
            ["proposal.adopted"] = 5,
            ["decision.recorded"] = 6,
            ["project.started"] = 7,
            ["project.completed"] = 8,
            ["project.failed"] = 9,
            ["project.retrospective"] = 10,
            ["project.member"] = 11,
            ["prototype.created"] = 12,
            ["knowledge.shared"] = 13,
            ["event.retracted"] = 14,
        };

        Assert.Equal(expected.Count, EventTypes.All.Count);
        foreach (var type in EventTypes.All)
        {
            Assert.Equal(expected[EventTypes.Name(type)], StoredEventTypes.ToCode(type));
            Assert.Equal(type, StoredEventTypes.FromCode(StoredEventTypes.ToCode(type)));
        }
    }

    [Fact]
    public void FromCode_UnknownCode_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => StoredEventTypes.FromCode(99));
        Assert.Throws<InvalidDataException>(() => StoredEventTypes.FromCode(0));
    }
}
