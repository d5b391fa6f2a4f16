using Metrics.Core.Directory;
using Metrics.Sources.Directory;

namespace Metrics.Sources.Tests.Directory;

public sealed class DirectorySnapshotTests
{
    private static readonly DateOnly Today = new(2026, 3, 10);

    private static SnapshotPerson P(string person, string department, Level level) => new(person, department, level, []);

    [Fact]
    public void Diff_FirstSnapshotOfAnEmptyDirectory_OpensFromTheBackDatedDay()
    {
        var diff = DirectorySnapshot.Diff([], [P("ana@x.com", "Ops", Level.Frontline)], Today, closeMissing: true, firstSnapshotFrom: Today.AddDays(-365));

        Assert.Equal(new DirectoryRecord("ana@x.com", "Ops", Level.Frontline, Today.AddDays(-365), null), Assert.Single(diff.Records));
    }

    [Fact]
    public void Diff_NewPersonInALaterSnapshot_OpensAtTheSyncDateDespiteTheBackDating()
    {
        var existing = new[] { new DirectoryRecord("ana@x.com", "Ops", Level.Frontline, new DateOnly(2025, 1, 1), null) };

        var diff = DirectorySnapshot.Diff(existing, [P("ana@x.com", "Ops", Level.Frontline), P("bo@x.com", "Ops", Level.Manager)], Today, closeMissing: true, firstSnapshotFrom: Today.AddDays(-365));

        Assert.Equal(Today, Assert.Single(diff.Records).From);
    }

    [Fact]
    public void Diff_Unchanged_WritesNothing()
    {
        var existing = new[] { new DirectoryRecord("ana@x.com", "Ops", Level.Frontline, new DateOnly(2025, 1, 1), null) };

        var diff = DirectorySnapshot.Diff(existing, [P("ana@x.com", "Ops", Level.Frontline)], Today, closeMissing: true);

        Assert.Empty(diff.Records);
        Assert.Equal(0, diff.Changed);
    }

    [Fact]
    public void Diff_DepartmentChanged_ClosesAtSyncDateAndOpensNewKeepingHistory()
    {
        var existing = new[]
        {
            new DirectoryRecord("ana@x.com", "Sales", Level.Frontline, new DateOnly(2024, 1, 1), new DateOnly(2025, 1, 1)),
            new DirectoryRecord("ana@x.com", "Ops", Level.Frontline, new DateOnly(2025, 1, 1), null),
        };

        var diff = DirectorySnapshot.Diff(existing, [P("ana@x.com", "IT", Level.Specialist)], Today, closeMissing: true);

        Assert.Equal(
            [
                existing[0],
                new DirectoryRecord("ana@x.com", "Ops", Level.Frontline, new DateOnly(2025, 1, 1), Today),
                new DirectoryRecord("ana@x.com", "IT", Level.Specialist, Today, null),
            ],
            diff.Records);
        Assert.Equal(1, diff.Changed);
    }

    [Fact]
    public void Diff_ChangedTwiceOnSameDay_ReplacesTodaysRecord()
    {
        var existing = new[]
        {
            new DirectoryRecord("ana@x.com", "Ops", Level.Frontline, new DateOnly(2025, 1, 1), Today),
            new DirectoryRecord("ana@x.com", "IT", Level.Specialist, Today, null),
        };

        var diff = DirectorySnapshot.Diff(existing, [P("ana@x.com", "IT", Level.Manager)], Today, closeMissing: true);

        Assert.Equal([existing[0], new DirectoryRecord("ana@x.com", "IT", Level.Manager, Today, null)], diff.Records);
    }

    [Fact]
    public void Diff_NewAndMissingPeople_OpenedAndClosedAtSyncDate()
    {
        var existing = new[] { new DirectoryRecord("old@x.com", "Ops", Level.Frontline, new DateOnly(2025, 1, 1), null) };

        var diff = DirectorySnapshot.Diff(existing, [P("new@x.com", "Ops", Level.Frontline)], Today, closeMissing: true);

        Assert.Contains(new DirectoryRecord("new@x.com", "Ops", Level.Frontline, Today, null), diff.Records);
        Assert.Contains(new DirectoryRecord("old@x.com", "Ops", Level.Frontline, new DateOnly(2025, 1, 1), Today), diff.Records);
        Assert.Equal(1, diff.Changed);
        Assert.Equal(1, diff.Closed);
    }

    [Fact]
    public void Diff_MissingButCloseMissingOff_LeavesThemOpen()
    {
        var existing = new[] { new DirectoryRecord("old@x.com", "Ops", Level.Frontline, new DateOnly(2025, 1, 1), null) };

        var diff = DirectorySnapshot.Diff(existing, [], Today, closeMissing: false);

        Assert.Empty(diff.Records);
    }

    [Fact]
    public void Diff_ReturningPerson_OpensNewRecordAfterGap()
    {
        var existing = new[] { new DirectoryRecord("ana@x.com", "Ops", Level.Frontline, new DateOnly(2024, 1, 1), new DateOnly(2025, 1, 1)) };

        var diff = DirectorySnapshot.Diff(existing, [P("ana@x.com", "Ops", Level.Frontline)], Today, closeMissing: true);

        Assert.Equal([existing[0], new DirectoryRecord("ana@x.com", "Ops", Level.Frontline, Today, null)], diff.Records);
    }
}
