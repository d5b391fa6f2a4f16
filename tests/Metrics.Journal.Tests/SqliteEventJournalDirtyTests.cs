using Metrics.Core.Events;

namespace Metrics.Journal.Tests;

public sealed class SqliteEventJournalDirtyTests : IDisposable
{
    private readonly TempJournal _temp = new();

    private SqliteEventJournal Journal => _temp.Journal;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task GetDirtyAsync_NewJournal_ReturnsNull()
    {
        Assert.Null(await Journal.GetDirtyAsync());
    }

    [Fact]
    public async Task AppendAsync_NewEvents_MarksDirtyFromEarliestEvent()
    {
        await Journal.AppendAsync([Ev.Make("a", Ev.T0.AddDays(3)), Ev.Make("b", Ev.T0), Ev.Make("c", Ev.T0.AddDays(1))]);

        var mark = await Journal.GetDirtyAsync();

        Assert.NotNull(mark);
        Assert.Equal(Ev.T0, mark.Value.From);
    }

    [Fact]
    public async Task AppendAsync_ReplacedEventMovedLater_MarksDirtyFromItsOldTime()
    {
        await Journal.AppendAsync([Ev.Make("a", Ev.T0)]);
        await ClearAsync();

        await Journal.AppendAsync([Ev.Make("a", Ev.T0.AddDays(10))]);

        Assert.Equal(Ev.T0, (await Journal.GetDirtyAsync())?.From);
    }

    [Fact]
    public async Task AppendAsync_ReplacedEventMovedEarlier_MarksDirtyFromItsNewTime()
    {
        await Journal.AppendAsync([Ev.Make("a", Ev.T0)]);
        await ClearAsync();

        await Journal.AppendAsync([Ev.Make("a", Ev.T0.AddDays(-4))]);

        Assert.Equal(Ev.T0.AddDays(-4), (await Journal.GetDirtyAsync())?.From);
    }

    [Fact]
    public async Task AppendAsync_IdenticalRedelivery_LeavesJournalClean()
    {
        await Journal.AppendAsync([Ev.Make("a"), Ev.Make("b", Ev.T0.AddHours(1))]);
        await ClearAsync();

        await Journal.AppendAsync([Ev.Make("a"), Ev.Make("b", Ev.T0.AddHours(1))]);

        Assert.Null(await Journal.GetDirtyAsync());
    }

    [Fact]
    public async Task AppendAsync_RetractionOfEarlierTarget_MarksDirtyFromTargetTime()
    {
        await Journal.AppendAsync([Ev.Make("st-1", Ev.T0)]);
        await ClearAsync();

        await Journal.AppendAsync([Ev.Retraction("void-1", "st-1", Ev.T0.AddDays(5))]);

        Assert.Equal(Ev.T0, (await Journal.GetDirtyAsync())?.From);
    }

    [Fact]
    public async Task AppendAsync_TargetArrivingAfterItsRetraction_MarksDirtyFromTargetTime()
    {
        await Journal.AppendAsync([Ev.Retraction("void-1", "st-1", Ev.T0.AddDays(5))]);
        await ClearAsync();

        await Journal.AppendAsync([Ev.Make("st-1", Ev.T0)]);

        Assert.Equal(Ev.T0, (await Journal.GetDirtyAsync())?.From);
    }

    [Fact]
    public async Task ClearDirtyAsync_CurrentGeneration_LeavesJournalClean()
    {
        await Journal.AppendAsync([Ev.Make("a")]);
        var mark = await Journal.GetDirtyAsync();

        await Journal.ClearDirtyAsync(mark!.Value.Generation);

        Assert.Null(await Journal.GetDirtyAsync());
    }

    [Fact]
    public async Task ClearDirtyAsync_StaleGeneration_KeepsJournalDirty()
    {
        await Journal.AppendAsync([Ev.Make("a", Ev.T0.AddDays(1))]);
        var read = await Journal.GetDirtyAsync();
        await Journal.AppendAsync([Ev.Make("b", Ev.T0.AddDays(2))]);

        await Journal.ClearDirtyAsync(read!.Value.Generation);

        var mark = await Journal.GetDirtyAsync();
        Assert.NotNull(mark);
        Assert.Equal(Ev.T0.AddDays(1), mark.Value.From);
        Assert.True(mark.Value.Generation > read.Value.Generation);
    }

    [Fact]
    public async Task MarkDirtyAsync_LaterInstant_KeepsEarliestAndBumpsGeneration()
    {
        await Journal.MarkDirtyAsync(Ev.T0);
        var first = await Journal.GetDirtyAsync();

        await Journal.MarkDirtyAsync(Ev.T0.AddDays(1));

        var second = await Journal.GetDirtyAsync();
        Assert.Equal(Ev.T0, second!.Value.From);
        Assert.Equal(first!.Value.Generation + 1, second.Value.Generation);
    }

    [Fact]
    public async Task MarkDirtyAsync_EarlierInstant_MovesFromAndKeepsItsOffset()
    {
        await Journal.MarkDirtyAsync(Ev.T0);
        var earlier = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(14));

        await Journal.MarkDirtyAsync(earlier);

        var mark = await Journal.GetDirtyAsync();
        Assert.Equal(earlier, mark!.Value.From);
        Assert.Equal(earlier.Offset, mark.Value.From.Offset);
    }

    [Fact]
    public async Task MarkDirtyAsync_AfterClear_StartsFromNewInstantWithHigherGeneration()
    {
        await Journal.MarkDirtyAsync(Ev.T0);
        var first = await Journal.GetDirtyAsync();
        await Journal.ClearDirtyAsync(first!.Value.Generation);

        await Journal.MarkDirtyAsync(Ev.T0.AddDays(9));

        var mark = await Journal.GetDirtyAsync();
        Assert.Equal(Ev.T0.AddDays(9), mark!.Value.From);
        Assert.True(mark.Value.Generation > first.Value.Generation);
    }

    private async Task ClearAsync()
    {
        var mark = await Journal.GetDirtyAsync();
        if (mark is { } m)
        {
            await Journal.ClearDirtyAsync(m.Generation);
        }

        Assert.Null(await Journal.GetDirtyAsync());
    }
}
