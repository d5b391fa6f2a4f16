using Metrics.Core.Events;
using Microsoft.Data.Sqlite;

namespace Metrics.Journal.Tests;

public sealed class SqliteEventJournalStreamTests : IDisposable
{
    private readonly TempJournal _temp = new();

    private SqliteEventJournal Journal => _temp.Journal;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task StreamAsync_EventsAppendedOutOfOrder_ComeOrderedByTimeThenSourceThenId()
    {
        await Journal.AppendAsync([
            Ev.Make("b", Ev.T0.AddHours(1)),
            Ev.Make("z", Ev.T0, source: "jira"),
            Ev.Make("c", Ev.T0),
            Ev.Make("a", Ev.T0),
            Ev.Make("early", Ev.T0.AddDays(-1)),
        ]);

        var keys = (await Journal.StreamAllAsync()).Select(e => $"{e.Source}/{e.Id}").ToList();

        Assert.Equal(["lms/early", "jira/z", "lms/a", "lms/c", "lms/b"], keys);
    }

    [Fact]
    public async Task StreamAsync_SameInstantInDifferentOffsets_OrdersByInstant()
    {
        var utc = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
        await Journal.AppendAsync([
            Ev.Make("later", utc.AddMinutes(1).ToOffset(TimeSpan.FromHours(-8))),
            Ev.Make("earlier", utc.ToOffset(TimeSpan.FromHours(9))),
        ]);

        var ids = (await Journal.StreamAllAsync()).Select(e => e.Id).ToList();

        Assert.Equal(["earlier", "later"], ids);
    }

    [Fact]
    public async Task StreamAsync_End_ExcludesEventsAtOrAfterIt()
    {
        await Journal.AppendAsync([Ev.Make("before", Ev.T0.AddTicks(-1)), Ev.Make("at", Ev.T0), Ev.Make("after", Ev.T0.AddDays(1))]);

        var ids = await Journal.StreamAsync(DateTimeOffset.MinValue, Ev.T0).Select(e => e.Id).ToListAsync();

        Assert.Equal(["before"], ids);
    }

    [Fact]
    public async Task StreamAsync_BeforeFullHistory_StreamsOnlyTypesThatNeedFullHistory()
    {
        var old = Ev.T0.AddDays(-400);
        var events = EventTypes.All.Where(t => t != EventType.EventRetracted)
            .Select(t => Ev.Make("old-" + EventTypes.Name(t), old, t))
            .Append(Ev.Make("recent-ai", Ev.T0, EventType.AiUsed))
            .Append(Ev.Make("recent-proposal", Ev.T0, EventType.ProposalSubmitted))
            .ToList();
        await Journal.AppendAsync(events);

        var streamed = await Journal.StreamAsync(Ev.T0.AddDays(-180), Ev.T0.AddDays(1)).ToListAsync();

        var expectedOld = EventTypes.All.Where(EventTypes.NeedsFullHistory).Select(t => "old-" + EventTypes.Name(t)).Order(StringComparer.Ordinal);
        Assert.Equal(expectedOld, streamed.Where(e => e.Time == old).Select(e => e.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["recent-ai", "recent-proposal"], streamed.Where(e => e.Time == Ev.T0).Select(e => e.Id));
    }

    [Fact]
    public async Task StreamAsync_AnyOffset_IsPreservedExactly()
    {
        var times = new[]
        {
            new DateTimeOffset(2026, 3, 2, 9, 15, 0, TimeSpan.FromHours(5.5)),
            new DateTimeOffset(2026, 3, 2, 23, 59, 59, TimeSpan.FromHours(-3)),
            new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567),
            new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromMinutes(-(9 * 60 + 30))),
            new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(14)),
        };
        await Journal.AppendAsync(times.Select((t, i) => Ev.Make($"e{i}", t)).ToList());

        var streamed = (await Journal.StreamAllAsync()).ToDictionary(e => e.Id, e => e.Time);

        for (var i = 0; i < times.Length; i++)
        {
            Assert.Equal(times[i], streamed[$"e{i}"]);
            Assert.Equal(times[i].Offset, streamed[$"e{i}"].Offset);
        }
    }

    [Fact]
    public async Task StreamAsync_EveryField_RoundTrips()
    {
        var decision = Ev.Make("d1", type: EventType.DecisionRecorded, subject: "dec-7", aiAssisted: true, attributes: """{"decision":"dec-7","aiAssisted":true}""");
        var ai = Ev.Make("u1", Ev.T0.AddMinutes(1), EventType.AiUsed, source: "push", person: "bo@example.com", subject: null, attributes: """{"tool":"copilot"}""");

        await Journal.AppendAsync([decision, ai]);

        Assert.Equal([decision, ai], await Journal.StreamAllAsync());
    }

    [Fact]
    public async Task StreamAsync_RowsRepeatingAndChangingSourceSubjectAndAttributes_EveryFieldAsAppended()
    {
        // The stream hands on the previous row's string when a column's bytes repeat: equal, longer, shorter, empty,
        // multi-byte and null values in turn, over more rows than a stream chunk, must all come back as appended.
        string[] sources = ["lms", "lms", "jira", "jirb", "jiraa", "jira", "lms"];
        string?[] subjects = ["ai-basics", "ai-basics", null, "ai-basics", "ai-básics", "ai-básics", "", null, "ai-basic"];
        string[] attributes = ["{}", "{}", """{"tool":"copilot"}""", """{"tool":"copilot"}""", """{"tool":"cöpilot"}""", "{}", """{"tool":"copilot","x":1}"""];
        var events = Enumerable.Range(0, 3000).Select(i => Ev.Make(
            $"e{i:D5}", Ev.T0.AddSeconds(i), EventType.TrainingCompleted, source: sources[i / 3 % sources.Length],
            subject: subjects[i / 2 % subjects.Length], attributes: attributes[i / 5 % attributes.Length])).ToList();

        await Journal.AppendAsync(events);

        Assert.Equal(events, await Journal.StreamAllAsync());
    }

    [Fact]
    public async Task StreamAsync_RetractionAfterTarget_ExcludesTargetAndRetraction()
    {
        await Journal.AppendAsync([Ev.Make("st-1"), Ev.Make("st-2")]);

        await Journal.AppendAsync([Ev.Retraction("void-1", "st-1", Ev.T0.AddDays(1))]);

        Assert.Equal(["st-2"], (await Journal.StreamAllAsync()).Select(e => e.Id));
    }

    [Fact]
    public async Task StreamAsync_RetractionBeforeTarget_ExcludesTargetAndRetraction()
    {
        await Journal.AppendAsync([Ev.Retraction("void-1", "st-1", Ev.T0.AddDays(1))]);

        await Journal.AppendAsync([Ev.Make("st-1"), Ev.Make("st-2")]);

        Assert.Equal(["st-2"], (await Journal.StreamAllAsync()).Select(e => e.Id));
    }

    [Fact]
    public async Task StreamAsync_RetractionAndTargetInOneBatch_ExcludesTargetWhateverTheOrder()
    {
        await Journal.AppendAsync([Ev.Retraction("void-1", "st-1"), Ev.Make("st-1"), Ev.Make("st-2"), Ev.Retraction("void-2", "st-2")]);

        Assert.Empty(await Journal.StreamAllAsync());
    }

    [Fact]
    public async Task StreamAsync_RetractionOfUnknownTarget_ChangesNothing()
    {
        await Journal.AppendAsync([Ev.Make("st-1")]);

        await Journal.AppendAsync([Ev.Retraction("void-1", "nope")]);

        Assert.Equal(["st-1"], (await Journal.StreamAllAsync()).Select(e => e.Id));
        Assert.Equal(2, await Journal.CountEventsAsync());
    }

    [Fact]
    public async Task StreamAsync_RetractionFromAnotherSource_DoesNotExcludeTarget()
    {
        await Journal.AppendAsync([Ev.Make("st-1", source: "lms"), Ev.Make("st-1", source: "jira")]);

        await Journal.AppendAsync([Ev.Retraction("void-1", "st-1", source: "jira")]);

        var remaining = Assert.Single(await Journal.StreamAllAsync());
        Assert.Equal("lms", remaining.Source);
    }

    [Fact]
    public async Task StreamAsync_RetractionReplacedByOneWithAnotherTarget_RestoresFirstTarget()
    {
        await Journal.AppendAsync([Ev.Make("st-1"), Ev.Make("st-2"), Ev.Retraction("void-1", "st-1")]);

        await Journal.AppendAsync([Ev.Retraction("void-1", "st-2")]);

        Assert.Equal(["st-1"], (await Journal.StreamAllAsync()).Select(e => e.Id));
    }

    [Fact]
    public async Task StreamAsync_RetractionReplacedByOrdinaryEvent_RestoresTargetAndStreamsIt()
    {
        await Journal.AppendAsync([Ev.Make("st-1"), Ev.Retraction("void-1", "st-1")]);

        await Journal.AppendAsync([Ev.Make("void-1", Ev.T0.AddHours(1))]);

        Assert.Equal(["st-1", "void-1"], (await Journal.StreamAllAsync()).Select(e => e.Id));
    }

    [Fact]
    public async Task StreamAsync_OneOfTwoRetractionsWithdrawn_TargetStaysExcluded()
    {
        await Journal.AppendAsync([Ev.Make("st-1"), Ev.Retraction("void-1", "st-1"), Ev.Retraction("void-2", "st-1")]);

        await Journal.AppendAsync([Ev.Retraction("void-1", "other")]);

        Assert.Empty(await Journal.StreamAllAsync());
    }

    [Fact]
    public async Task StreamAsync_RetractedTargetReplaced_StaysExcluded()
    {
        await Journal.AppendAsync([Ev.Make("st-1"), Ev.Retraction("void-1", "st-1")]);

        await Journal.AppendAsync([Ev.Make("st-1", Ev.T0.AddDays(2))]);

        Assert.Empty(await Journal.StreamAllAsync());
    }

    [Fact]
    public async Task StreamAsync_ConsumerStopsEarly_JournalStaysUsable()
    {
        await Journal.AppendAsync(Enumerable.Range(0, 5000).Select(i => Ev.Make($"e{i:D5}", Ev.T0.AddSeconds(i))).ToList());

        await foreach (var e in Journal.StreamAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
        {
            if (e.Id == "e00002")
            {
                break;
            }
        }

        Assert.Equal(new(1, 0, 0), await Journal.AppendAsync([Ev.Make("after")]));
        Assert.Equal(5001, await Journal.StreamAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue).CountAsync());
    }

    [Fact]
    public async Task StreamAsync_Cancelled_ThrowsOperationCanceled()
    {
        await Journal.AppendAsync(Enumerable.Range(0, 5000).Select(i => Ev.Make($"e{i}", Ev.T0.AddSeconds(i))).ToList());
        using var cts = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in Journal.StreamAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, cts.Token))
            {
                await cts.CancelAsync();
            }
        });
    }

    [Fact]
    public async Task StreamAsync_WhileAnotherWriterAppends_SeesOneConsistentSnapshot()
    {
        await Journal.AppendAsync(Enumerable.Range(0, 3000).Select(i => Ev.Make($"e{i}", Ev.T0.AddSeconds(i))).ToList());
        using var second = new SqliteEventJournal(_temp.Path);

        var count = 0;
        await foreach (var e in Journal.StreamAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
        {
            if (count++ == 10)
            {
                await second.AppendAsync([Ev.Make("late", Ev.T0.AddDays(1))]);
            }
        }

        Assert.Equal(3000, count);
        Assert.Equal(3001, await Journal.CountEventsAsync());
    }

    [Fact]
    public async Task StreamAsync_200kEvents_StreamsAllInOrderWithoutMaterialising()
    {
        const int Count = 200_000;
        var rnd = new Random(42);
        for (var batch = 0; batch < Count; batch += 20_000)
        {
            // Times are shuffled within each batch so the order really comes from the journal.
            var events = Enumerable.Range(batch, 20_000)
                .Select(i => Ev.Make($"e{i}", Ev.T0.AddSeconds(rnd.Next(0, 365 * 86400)), person: $"p{i % 1000}"))
                .ToList();
            await Journal.AppendAsync(events);
        }

        long streamed = 0;
        var previous = DateTimeOffset.MinValue;
        await foreach (var e in Journal.StreamAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
        {
            Assert.True(e.Time >= previous);
            previous = e.Time;
            streamed++;
        }

        Assert.Equal(Count, streamed);
    }

    [Fact]
    public async Task StreamAsync_RowWithTypeCodeFromNewerVersion_FailsTheEnumeration()
    {
        await Journal.AppendAsync([Ev.Make("a")]);
        using (var connection = new SqliteConnection($"Data Source={_temp.Path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE events SET type = 99;";
            command.ExecuteNonQuery();
            SqliteConnection.ClearPool(connection);
        }

        await Assert.ThrowsAsync<InvalidDataException>(() => Journal.StreamAllAsync());
    }

    [Fact]
    public void NativeColumns_BundledSqlite_ReadsColumnsDirectly()
    {
        // Through SQLitePCL's marshalling the stream costs about half as much CPU again; a package change that loses the direct
        // path must be a decision, not an accident.
        Assert.True(NativeColumns.Direct);
    }

    [Fact]
    public void StreamSql_QueryPlan_ScansInKeyOrderWithoutSorting()
    {
        using var connection = new SqliteConnection($"Data Source={_temp.Path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + SqliteEventJournal.StreamSql;
        command.Parameters.AddWithValue("$end", 0L);
        command.Parameters.AddWithValue("$full", 0L);
        command.Parameters.AddWithValue("$fullMask", 0L);
        var plan = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.DoesNotContain(plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("events_key", StringComparison.Ordinal));
        SqliteConnection.ClearPool(connection);
    }
}
