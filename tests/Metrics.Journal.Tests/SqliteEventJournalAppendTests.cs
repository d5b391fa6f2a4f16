using Metrics.Core.Events;
using Metrics.Core.Ports;

namespace Metrics.Journal.Tests;

public sealed class SqliteEventJournalAppendTests : IDisposable
{
    private readonly TempJournal _temp = new();

    private SqliteEventJournal Journal => _temp.Journal;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AppendAsync_NewKeys_InsertsEach()
    {
        var result = await Journal.AppendAsync([Ev.Make("a"), Ev.Make("b"), Ev.Make("a", source: "jira")]);

        Assert.Equal(new AppendResult(3, 0, 0), result);
        Assert.Equal(3, await Journal.CountEventsAsync());
    }

    [Fact]
    public async Task AppendAsync_SameKeyTwiceIdentical_KeepsOneRowAndReportsUnchanged()
    {
        await Journal.AppendAsync([Ev.Make("a", subject: null, attributes: """{"tool":"copilot"}""")]);

        var again = await Journal.AppendAsync([Ev.Make("a", subject: null, attributes: """{"tool":"copilot"}""")]);

        Assert.Equal(new AppendResult(0, 0, 1), again);
        Assert.Equal(1, await Journal.CountEventsAsync());
    }

    [Fact]
    public async Task AppendAsync_SameKeyChangedContent_ReportsReplacedAndStreamsNewContent()
    {
        await Journal.AppendAsync([Ev.Make("a", type: EventType.TrainingCompleted, subject: "ai-basics")]);

        var later = Ev.T0.AddDays(2);
        var result = await Journal.AppendAsync([Ev.Make("a", later, EventType.TrainingCompleted, subject: "ai-advanced", person: "bo@example.com")]);

        Assert.Equal(new AppendResult(0, 1, 0), result);
        var stored = Assert.Single(await Journal.StreamAllAsync());
        Assert.Equal("ai-advanced", stored.Subject);
        Assert.Equal("bo@example.com", stored.Person);
        Assert.Equal(later, stored.Time);
    }

    [Fact]
    public async Task AppendAsync_SameInstantDifferentOffset_ReportsReplaced()
    {
        await Journal.AppendAsync([Ev.Make("a", Ev.T0)]);

        var result = await Journal.AppendAsync([Ev.Make("a", Ev.T0.ToOffset(TimeSpan.FromHours(-5)))]);

        Assert.Equal(new AppendResult(0, 1, 0), result);
        Assert.Equal(TimeSpan.FromHours(-5), Assert.Single(await Journal.StreamAllAsync()).Time.Offset);
    }

    [Fact]
    public async Task AppendAsync_SameKeyTwiceInOneBatch_LaterLineWins()
    {
        var result = await Journal.AppendAsync([Ev.Make("a", subject: null, attributes: "{\"v\":1}"), Ev.Make("a", subject: null, attributes: "{\"v\":2}")]);

        Assert.Equal(new AppendResult(1, 1, 0), result);
        Assert.Equal("{\"v\":2}", Assert.Single(await Journal.StreamAllAsync()).AttributesJson);
    }

    [Fact]
    public async Task AppendAsync_OneBatchInRandomOrder_StoresWhatTheSameEventsOneByOneInTimeOrderStore()
    {
        // The append sorts a batch by the table's key; retractions, their targets and replacements must not care.
        var rng = new Random(3);
        var events = Enumerable.Range(0, 200)
            .Select(i => Ev.Make($"e{i}", Ev.T0.AddMinutes(rng.Next(60 * 24 * 90)), i % 3 == 0 ? EventType.ProposalSubmitted : EventType.AiUsed, person: $"p{i % 7}@example.com"))
            .Concat(Enumerable.Range(0, 20).Select(i => Ev.Retraction($"void-{i}", $"e{i * 9}", Ev.T0.AddMinutes(rng.Next(60 * 24 * 90)))))
            .ToList();
        var shuffled = events.ToArray();
        rng.Shuffle(shuffled);
        using var reference = new TempJournal();
        foreach (var e in events.OrderBy(e => e.Time))
        {
            await reference.Journal.AppendAsync([e]);
        }

        var result = await Journal.AppendAsync(shuffled);

        Assert.Equal(new AppendResult(220, 0, 0), result);
        Assert.Equal(await reference.Journal.StreamAllAsync(), await Journal.StreamAllAsync());
        Assert.Equal((await reference.Journal.GetDirtyAsync())?.From, (await Journal.GetDirtyAsync())?.From);
        Assert.Equal(180, (await Journal.StreamAllAsync()).Count);
    }

    [Fact]
    public async Task AppendAsync_EmptyBatch_ChangesNothing()
    {
        var result = await Journal.AppendAsync([]);

        Assert.Equal(default, result);
        Assert.Null(await Journal.GetDirtyAsync());
    }

    [Fact]
    public async Task AppendAsync_FailureMidBatch_StoresNothingAndMarksNothing()
    {
        var batch = new List<CanonicalEvent> { Ev.Make("a"), Ev.Make("b"), null! };

        await Assert.ThrowsAsync<ArgumentNullException>(() => Journal.AppendAsync(batch));

        Assert.Equal(0, await Journal.CountEventsAsync());
        Assert.Null(await Journal.GetDirtyAsync());
    }

    [Fact]
    public async Task AppendAsync_HostileText_IsStoredVerbatim()
    {
        const string Hostile = "x'); DROP TABLE events; -- \"$id\" \u00e9\u4e2d\ud83d\ude00 \0 end";
        var e = Ev.Make(Hostile, type: EventType.KnowledgeShared, source: Hostile, person: Hostile, subject: Hostile, attributes: "{\"artifact\":\"" + Hostile + "\"}");

        await Journal.AppendAsync([e]);

        Assert.Equal(e, Assert.Single(await Journal.StreamAllAsync()));
        Assert.Equal(new AppendResult(0, 0, 1), await Journal.AppendAsync([e]));
    }

    [Fact]
    public async Task AppendAsync_ConcurrentCallers_CountEveryEventOnce()
    {
        var tasks = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
            Journal.AppendAsync(Enumerable.Range(0, 500).Select(i => Ev.Make($"e{i}", Ev.T0.AddMinutes(i), source: $"s{t % 4}")).ToList())));

        var results = await Task.WhenAll(tasks);

        Assert.Equal(4 * 500, results.Sum(r => r.Inserted));
        Assert.Equal(4 * 500, results.Sum(r => r.Unchanged));
        Assert.Equal(4 * 500, await Journal.CountEventsAsync());
    }
}
