using Metrics.Core.Directory;

namespace Metrics.Core.Tests.Directory;

public class OrgDirectoryTests
{
    private static DirectoryRecord R(string dept, string from, string? to) =>
        new("p", dept, Level.Manager, DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
            to is null ? null : DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Validate_OverlappingRecord_ReturnsReason()
    {
        var reason = OrgDirectory.Validate(R("B", "2026-02-01", null), [R("A", "2026-01-01", "2026-03-01")]);

        Assert.Contains("overlaps", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AdjacentRecord_IsAccepted()
    {
        Assert.Null(OrgDirectory.Validate(R("B", "2026-03-01", null), [R("A", "2026-01-01", "2026-03-01")]));
    }

    [Fact]
    public void TryGet_EffectiveDatedHistory_FromInclusiveToExclusive()
    {
        var directory = OrgDirectory.Build([R("A", "2026-01-01", "2026-03-01"), R("B", "2026-03-01", "2026-04-01")]);
        var p = directory.PersonId("p");

        Assert.False(directory.TryGet(p, new DateOnly(2025, 12, 31).DayNumber, out _, out _));
        Assert.True(directory.TryGet(p, new DateOnly(2026, 2, 28).DayNumber, out var d1, out _));
        Assert.True(directory.TryGet(p, new DateOnly(2026, 3, 1).DayNumber, out var d2, out _));
        Assert.False(directory.TryGet(p, new DateOnly(2026, 4, 1).DayNumber, out _, out _));
        Assert.Equal("A", directory.Departments[d1]);
        Assert.Equal("B", directory.Departments[d2]);
    }

    [Fact]
    public void PersonId_UnknownKey_IsMinusOne()
    {
        Assert.Equal(-1, OrgDirectory.Build([R("A", "2026-01-01", null)]).PersonId("nobody"));
    }
}
