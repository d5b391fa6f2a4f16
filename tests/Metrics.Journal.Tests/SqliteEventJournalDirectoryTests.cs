using Metrics.Core.Directory;
using Metrics.Core.Events;

namespace Metrics.Journal.Tests;

public sealed class SqliteEventJournalDirectoryTests : IDisposable
{
    private static readonly DateOnly March1 = new(2026, 3, 1);

    private readonly TempJournal _temp = new();

    private SqliteEventJournal Journal => _temp.Journal;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ReplaceDirectoryAsync_NewRecords_LoadBackIncludingOpenEnds()
    {
        var records = new[]
        {
            new DirectoryRecord("ana", "Sales", Level.Frontline, March1, March1.AddDays(30)),
            new DirectoryRecord("ana", "Ops", Level.Manager, March1.AddDays(30), null),
            new DirectoryRecord("bo", "Ops", Level.Executive, March1, null),
        };

        await Journal.ReplaceDirectoryAsync(records);

        Assert.Equal(records, await Journal.LoadDirectoryAsync());
    }

    [Fact]
    public async Task ReplaceDirectoryAsync_PersonInBatch_ReplacesOnlyThatPersonsHistory()
    {
        await Journal.ReplaceDirectoryAsync([
            new DirectoryRecord("ana", "Sales", Level.Frontline, March1, March1.AddDays(30)),
            new DirectoryRecord("ana", "Ops", Level.Manager, March1.AddDays(30), null),
            new DirectoryRecord("bo", "Ops", Level.Executive, March1, null),
        ]);

        await Journal.ReplaceDirectoryAsync([new DirectoryRecord("ana", "Legal", Level.Specialist, March1.AddDays(10), null)]);

        Assert.Equal(
            [
                new DirectoryRecord("ana", "Legal", Level.Specialist, March1.AddDays(10), null),
                new DirectoryRecord("bo", "Ops", Level.Executive, March1, null),
            ],
            await Journal.LoadDirectoryAsync());
    }

    [Fact]
    public async Task ReplaceDirectoryAsync_ChangedPerson_MarksDirtyFromEarliestOldOrNewDayAtUtcPlus14()
    {
        await Journal.ReplaceDirectoryAsync([
            new DirectoryRecord("ana", "Sales", Level.Frontline, March1, null),
            new DirectoryRecord("bo", "Ops", Level.Executive, March1.AddDays(-100), null),
        ]);
        await ClearAsync();

        await Journal.ReplaceDirectoryAsync([new DirectoryRecord("ana", "Sales", Level.Frontline, March1.AddDays(20), null)]);

        var mark = await Journal.GetDirtyAsync();
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.FromHours(14)), mark?.From);
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 10, 0, 0, TimeSpan.Zero), mark?.From);
    }

    [Fact]
    public void EarliestInstantOf_Day_IsMidnightAtUtcPlus14()
    {
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), SqliteEventJournal.EarliestInstantOf(new DateOnly(2026, 3, 2)));
        Assert.Equal(DateTimeOffset.MinValue, SqliteEventJournal.EarliestInstantOf(DateOnly.MinValue));
    }

    [Fact]
    public async Task ReplaceDirectoryAsync_NewPerson_MarksDirtyFromItsFirstDay()
    {
        await Journal.ReplaceDirectoryAsync([new DirectoryRecord("ana", "Sales", Level.Frontline, March1.AddDays(5), null)]);

        Assert.Equal(SqliteEventJournal.EarliestInstantOf(March1.AddDays(5)), (await Journal.GetDirtyAsync())?.From);
    }

    [Fact]
    public async Task ReplaceDirectoryAsync_UnchangedHistory_LeavesJournalClean()
    {
        var records = new[]
        {
            new DirectoryRecord("ana", "Ops", Level.Manager, March1.AddDays(30), null),
            new DirectoryRecord("ana", "Sales", Level.Frontline, March1, March1.AddDays(30)),
        };
        await Journal.ReplaceDirectoryAsync(records);
        await ClearAsync();

        await Journal.ReplaceDirectoryAsync(records.Reverse().ToList());

        Assert.Null(await Journal.GetDirtyAsync());
    }

    [Fact]
    public async Task ReplaceDirectoryAsync_OverlappingRecordsOfOnePerson_ThrowsAndStoresNothing()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Journal.ReplaceDirectoryAsync([
            new DirectoryRecord("ana", "Sales", Level.Frontline, March1, null),
            new DirectoryRecord("ana", "Ops", Level.Manager, March1.AddDays(3), null),
        ]));

        Assert.Empty(await Journal.LoadDirectoryAsync());
        Assert.Null(await Journal.GetDirtyAsync());
    }

    [Fact]
    public async Task ReplaceCoursesAsync_NewCatalog_ReplacesWholeCatalogKeepingOrder()
    {
        await Journal.ReplaceCoursesAsync([new Course("old", [Level.Executive])]);

        await Journal.ReplaceCoursesAsync([
            new Course("ethics", [Level.Executive, Level.Manager]),
            new Course("ai-basics", [Level.Frontline, Level.Specialist, Level.Manager, Level.Executive]),
            new Course("optional", []),
        ]);

        var courses = await Journal.LoadCoursesAsync();
        Assert.Equal(["ethics", "ai-basics", "optional"], courses.Select(c => c.Id));
        Assert.Equal([Level.Executive, Level.Manager], courses[0].Levels);
        Assert.Equal([Level.Frontline, Level.Specialist, Level.Manager, Level.Executive], courses[1].Levels);
        Assert.Empty(courses[2].Levels);
    }

    [Fact]
    public async Task ReplaceCoursesAsync_DuplicateCourse_KeepsFirstLikeCourseCatalog()
    {
        await Journal.ReplaceCoursesAsync([new Course("a", [Level.Manager]), new Course("a", [Level.Frontline])]);

        var course = Assert.Single(await Journal.LoadCoursesAsync());
        Assert.Equal([Level.Manager], course.Levels);
    }

    [Fact]
    public async Task ReplaceCoursesAsync_ChangedCatalog_MarksDirtyFromEarliestEvent()
    {
        await Journal.AppendAsync([Ev.Make("a", Ev.T0.AddDays(7)), Ev.Make("b", Ev.T0)]);
        await ClearAsync();

        await Journal.ReplaceCoursesAsync([new Course("ai-basics", [Level.Frontline])]);

        Assert.Equal(Ev.T0, (await Journal.GetDirtyAsync())?.From);
    }

    [Fact]
    public async Task ReplaceCoursesAsync_DirectoryStartsBeforeEvents_MarksDirtyFromFirstDirectoryDay()
    {
        await Journal.AppendAsync([Ev.Make("a", Ev.T0)]);
        await Journal.ReplaceDirectoryAsync([new DirectoryRecord("ana", "Sales", Level.Frontline, new DateOnly(2025, 1, 1), null)]);
        await ClearAsync();

        await Journal.ReplaceCoursesAsync([new Course("ai-basics", [Level.Frontline])]);

        Assert.Equal(SqliteEventJournal.EarliestInstantOf(new DateOnly(2025, 1, 1)), (await Journal.GetDirtyAsync())?.From);
    }

    [Fact]
    public async Task ReplaceCoursesAsync_SameCatalogAgain_LeavesJournalClean()
    {
        await Journal.AppendAsync([Ev.Make("a")]);
        await Journal.ReplaceCoursesAsync([new Course("x", [Level.Manager, Level.Frontline]), new Course("y", [])]);
        await ClearAsync();

        await Journal.ReplaceCoursesAsync([new Course("y", []), new Course("x", [Level.Frontline, Level.Manager])]);

        Assert.Null(await Journal.GetDirtyAsync());
    }

    [Fact]
    public async Task UpsertIdentitiesAsync_NewLink_MarksDirtyFromEarliestEventOfThatIdentity()
    {
        await Journal.AppendAsync([
            Ev.Make("a", Ev.T0.AddDays(3), person: "jira:123"),
            Ev.Make("b", Ev.T0.AddDays(1), person: "jira:123"),
            Ev.Make("c", Ev.T0, person: "ana"),
        ]);
        await ClearAsync();

        await Journal.UpsertIdentitiesAsync([new IdentityLink("jira:123", "ana")]);

        Assert.Equal(Ev.T0.AddDays(1), (await Journal.GetDirtyAsync())?.From);
        Assert.Equal([new IdentityLink("jira:123", "ana")], await Journal.LoadIdentitiesAsync());
    }

    [Fact]
    public async Task UpsertIdentitiesAsync_EventsAppendedInSeveralBatches_UsesTheEarliestOfAll()
    {
        await Journal.AppendAsync([Ev.Make("a", Ev.T0.AddDays(3), person: "jira:123")]);
        await Journal.AppendAsync([Ev.Make("b", Ev.T0.AddDays(5), person: "jira:123")]);
        await Journal.AppendAsync([Ev.Make("c", Ev.T0.AddDays(-2), person: "jira:123")]);
        await ClearAsync();

        await Journal.UpsertIdentitiesAsync([new IdentityLink("jira:123", "ana")]);

        Assert.Equal(Ev.T0.AddDays(-2), (await Journal.GetDirtyAsync())?.From);
    }

    [Fact]
    public async Task UpsertIdentitiesAsync_UnchangedLink_MarksNothing()
    {
        await Journal.AppendAsync([Ev.Make("a", person: "jira:123")]);
        await Journal.UpsertIdentitiesAsync([new IdentityLink("jira:123", "ana")]);
        await ClearAsync();

        await Journal.UpsertIdentitiesAsync([new IdentityLink("jira:123", "ana")]);

        Assert.Null(await Journal.GetDirtyAsync());
    }

    [Fact]
    public async Task UpsertIdentitiesAsync_ChangedLink_ReplacesTargetAndMarksDirty()
    {
        await Journal.AppendAsync([Ev.Make("a", person: "jira:123")]);
        await Journal.UpsertIdentitiesAsync([new IdentityLink("jira:123", "ana"), new IdentityLink("ana.old@example.com", "ana")]);
        await ClearAsync();

        await Journal.UpsertIdentitiesAsync([new IdentityLink("jira:123", "bo")]);

        Assert.Equal(Ev.T0, (await Journal.GetDirtyAsync())?.From);
        Assert.Equal(
            [new IdentityLink("ana.old@example.com", "ana"), new IdentityLink("jira:123", "bo")],
            await Journal.LoadIdentitiesAsync());
    }

    [Fact]
    public async Task UpsertIdentitiesAsync_IdentityWithoutEvents_StoresLinkAndMarksNothing()
    {
        await Journal.AppendAsync([Ev.Make("a", person: "ana")]);
        await ClearAsync();

        await Journal.UpsertIdentitiesAsync([new IdentityLink("jira:999", "ana")]);

        Assert.Null(await Journal.GetDirtyAsync());
        Assert.Single(await Journal.LoadIdentitiesAsync());
    }

    [Fact]
    public async Task GetStateAsync_Unset_ReturnsNull()
    {
        Assert.Null(await Journal.GetStateAsync("lms:checkpoint"));
    }

    [Fact]
    public async Task SetStateAsync_Twice_LastValueWinsAndKeysStaySeparate()
    {
        await Journal.SetStateAsync("lms:checkpoint", "2026-03-01T00:00:00Z");
        await Journal.SetStateAsync("jira:checkpoint", "42");

        await Journal.SetStateAsync("lms:checkpoint", "2026-03-02T00:00:00Z");

        Assert.Equal("2026-03-02T00:00:00Z", await Journal.GetStateAsync("lms:checkpoint"));
        Assert.Equal("42", await Journal.GetStateAsync("jira:checkpoint"));
        Assert.Null(await Journal.GetDirtyAsync());
    }

    [Fact]
    public async Task EarliestEventTimeAsync_Empty_ReturnsNull()
    {
        Assert.Null(await Journal.EarliestEventTimeAsync());
    }

    [Fact]
    public async Task EarliestEventTimeAsync_SomeEvents_ReturnsEarliestWithItsOffset()
    {
        var earliest = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.FromHours(-7));
        await Journal.AppendAsync([Ev.Make("a", Ev.T0), Ev.Make("b", earliest), Ev.Make("c", Ev.T0.AddDays(1))]);

        var time = await Journal.EarliestEventTimeAsync();

        Assert.Equal(earliest, time);
        Assert.Equal(earliest.Offset, time?.Offset);
    }

    private async Task ClearAsync()
    {
        if (await Journal.GetDirtyAsync() is { } mark)
        {
            await Journal.ClearDirtyAsync(mark.Generation);
        }

        Assert.Null(await Journal.GetDirtyAsync());
    }
}
