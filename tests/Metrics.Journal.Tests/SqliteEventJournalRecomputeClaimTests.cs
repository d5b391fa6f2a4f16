using Metrics.Core.Events;

namespace Metrics.Journal.Tests;

public sealed class SqliteEventJournalRecomputeClaimTests : IDisposable
{
    private readonly TempJournal _temp = new();

    private SqliteEventJournal Journal => _temp.Journal;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task BeginRecomputeAsync_CleanJournal_MarksTheRangeDirtyUntilFinished()
    {
        var claim = await Journal.BeginRecomputeAsync(Ev.T0);

        // A recompute killed here (after its delete) leaves the range to the next cycle.
        Assert.Equal(Ev.T0, (await Journal.GetDirtyAsync())?.From);
        Assert.Null(claim.PreviousFrom);
        Assert.True(await Journal.FinishRecomputeAsync(claim, claim.PreviousFrom));
        Assert.Null(await Journal.GetDirtyAsync());
    }

    [Fact]
    public async Task FinishRecomputeAsync_EarlierMarkBefore_RestoresIt()
    {
        await Journal.MarkDirtyAsync(Ev.T0);
        var claim = await Journal.BeginRecomputeAsync(Ev.T0.AddDays(5));

        Assert.True(await Journal.FinishRecomputeAsync(claim, claim.PreviousFrom));

        Assert.Equal(Ev.T0, (await Journal.GetDirtyAsync())?.From);
    }

    [Fact]
    public async Task FinishRecomputeAsync_EventAppendedDuringRecompute_KeepsTheMark()
    {
        var claim = await Journal.BeginRecomputeAsync(Ev.T0);
        await Journal.AppendAsync([Ev.Make("late", Ev.T0.AddDays(1))]);

        Assert.False(await Journal.FinishRecomputeAsync(claim, null));

        Assert.Equal(Ev.T0, (await Journal.GetDirtyAsync())?.From);
        Assert.NotEqual(claim.Generation, await Journal.GetGenerationAsync());
    }

    [Fact]
    public async Task FinishRecomputeAsync_AnotherRecomputeClaimedMeanwhile_KeepsItsMark()
    {
        var first = await Journal.BeginRecomputeAsync(Ev.T0.AddDays(3));
        var second = await Journal.BeginRecomputeAsync(Ev.T0);

        // The first must not clear the second's claim: the second may still be deleting its range.
        Assert.False(await Journal.FinishRecomputeAsync(first, null));
        Assert.Equal(Ev.T0, (await Journal.GetDirtyAsync())?.From);
        Assert.Equal(first.Generation, second.Generation);
    }
}
