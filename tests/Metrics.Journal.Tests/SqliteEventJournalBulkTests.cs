using Metrics.Core.Events;
using Metrics.Core.Ports;
using Microsoft.Data.Sqlite;

namespace Metrics.Journal.Tests;

/// <summary>
/// The bulk path (<see cref="SqliteEventJournal.AppendManyAsync"/> with two or more batches) against the row path
/// (<see cref="SqliteEventJournal.AppendAsync"/> batch after batch) on the same journal and the same shuffled lines:
/// every stored column, the retracted flags, person_first_event, the counts and the dirty mark must be the same.
/// </summary>
public sealed class SqliteEventJournalBulkTests : IDisposable
{
    private readonly TempJournal _rowPath = new();
    private readonly TempJournal _bulk = new();

    public void Dispose()
    {
        _rowPath.Dispose();
        _bulk.Dispose();
    }

    [Theory]
    [InlineData(1, 0, 2_000, 300)] // an empty journal: the (source, id) index is rebuilt
    [InlineData(2, 300, 2_000, 500)] // a small journal: rebuilt
    [InlineData(3, 3_000, 800, 200)] // a larger journal: the index is kept and inserted into
    [InlineData(4, 1_000, 1_000, 999)]
    [InlineData(5, 0, 3_000, 1_000, true)] // only new keys: the insert of all lines at once, no pass over the keys
    [InlineData(6, 500, 3_000, 1_000, true)]
    [InlineData(7, 4_000, 1_000, 300, true)]
    [InlineData(8, 300, 2_000, 500, false, 3)] // more people (6) than the staging tracks: person_first_event by a GROUP BY
    [InlineData(9, 500, 3_000, 1_000, true, 0)]
    public async Task AppendManyAsync_ShuffledLinesWithRepeatsReplacementsAndRetractions_StoresWhatTheRowPathStores(
        int seed, int existing, int lines, int batchSize, bool allNew = false, int trackedPeople = 500_000)
    {
        _bulk.Journal.BulkTrackedPeople = trackedPeople;
        var random = new Random(seed);
        var keys = Math.Max(10, (existing + lines) * 2 / 3);
        var before = Lines(random, existing, keys);
        foreach (var journal in new[] { _rowPath.Journal, _bulk.Journal })
        {
            foreach (var chunk in before.Chunk(97))
            {
                await journal.AppendAsync(chunk);
            }

            await journal.ClearDirtyAsync((await journal.GetDirtyAsync())?.Generation ?? 0);
        }

        // Repeated keys with the same or other content, retractions of stored keys, of keys of this import (before or
        // after their target) and of nothing, retractions replaced by other retractions or by plain events: shuffled.
        var import = allNew
            ? Lines(random, lines, keys, "new-").DistinctBy(e => (e.Source, e.Id)).ToList()
            : Lines(random, lines, keys);
        if (!allNew)
        {
            import.AddRange(import.Take(lines / 10).ToList());
        }

        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(import));
        var batches = import.Chunk(batchSize).ToList();

        var rowResult = default(AppendResult);
        foreach (var batch in batches)
        {
            var r = await _rowPath.Journal.AppendAsync(batch);
            rowResult = new AppendResult(rowResult.Inserted + r.Inserted, rowResult.Replaced + r.Replaced, rowResult.Unchanged + r.Unchanged);
        }

        var bulkResult = await _bulk.Journal.AppendManyAsync(batches.ToAsyncEnumerable());

        Assert.True(batches.Count >= 2);
        Assert.True(allNew ? rowResult.Inserted == import.Count : rowResult.Replaced > 0 && rowResult.Unchanged > 0 && rowResult.Inserted > 0, $"the input misses a case: {rowResult}");
        Assert.Equal(rowResult, bulkResult);
        Assert.Equal(Dump(_rowPath.Path, EventsSql), Dump(_bulk.Path, EventsSql));
        Assert.Equal(Dump(_rowPath.Path, PeopleSql), Dump(_bulk.Path, PeopleSql));
        var rowDirty = await _rowPath.Journal.GetDirtyAsync();
        var bulkDirty = await _bulk.Journal.GetDirtyAsync();
        Assert.Equal(rowDirty?.From.UtcTicks, bulkDirty?.From.UtcTicks);
        Assert.Contains(Dump(_bulk.Path, EventsSql), row => row.EndsWith("|1", StringComparison.Ordinal));
        Assert.Equal(await _rowPath.Journal.StreamAllAsync(), await _bulk.Journal.StreamAllAsync());
    }

    [Fact]
    public async Task AppendManyAsync_EverythingAgain_ReportsUnchangedAndLeavesTheDirtyMark()
    {
        var lines = Lines(new Random(5), 500, 400).DistinctBy(e => (e.Source, e.Id)).ToList();
        await _bulk.Journal.AppendManyAsync(lines.Chunk(100).ToAsyncEnumerable());
        var dirty = await _bulk.Journal.GetDirtyAsync();
        await _bulk.Journal.ClearDirtyAsync(dirty!.Value.Generation);
        var stored = Dump(_bulk.Path, EventsSql);

        var again = await _bulk.Journal.AppendManyAsync(lines.Chunk(100).ToAsyncEnumerable());

        Assert.Equal(new AppendResult(0, 0, lines.Count), again);
        Assert.Null(await _bulk.Journal.GetDirtyAsync());
        Assert.Equal(stored, Dump(_bulk.Path, EventsSql));
    }

    [Fact]
    public async Task AppendManyAsync_OneBatch_TakesTheRowPath()
    {
        var result = await _bulk.Journal.AppendManyAsync(new[] { new[] { Ev.Make("a"), Ev.Make("b") } }.ToAsyncEnumerable());

        Assert.Equal(new AppendResult(2, 0, 0), result);
        Assert.Equal(2, await _bulk.Journal.CountEventsAsync());
    }

    [Fact]
    public async Task AppendManyAsync_FailsWhileStaging_StoresNothing()
    {
        await _bulk.Journal.AppendAsync([Ev.Make("stored")]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _bulk.Journal.AppendManyAsync(Failing()));

        Assert.Equal(1, await _bulk.Journal.CountEventsAsync());

        static async IAsyncEnumerable<IReadOnlyList<CanonicalEvent>> Failing()
        {
            yield return [Ev.Make("a")];
            yield return [Ev.Make("b")];
            await Task.Yield();
            throw new InvalidOperationException("the file could not be read further");
        }
    }

    private const string EventsSql =
        "SELECT time_ticks, source, id, type, offset_minutes, person, subject, ai_assisted, attributes, retracted FROM events ORDER BY time_ticks, source, id";

    private const string PeopleSql = "SELECT person, first_ticks FROM person_first_event ORDER BY person";

    private static List<string> Dump(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    /// <summary>Lines over a small key space, so keys repeat; one in six a retraction of another key of the space.</summary>
    private static List<CanonicalEvent> Lines(Random random, int count, int keys, string prefix = "")
    {
        var lines = new List<CanonicalEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var source = random.Next(4) == 0 ? "jira" : "lms";
            var id = $"{prefix}k{random.Next(keys)}";
            // Few distinct values, so a repeated key often comes with the very same content.
            var time = Ev.T0.AddHours(random.Next(48) * 7).ToOffset(TimeSpan.FromHours(random.Next(2)));
            var person = $"p{random.Next(6)}@example.com";
            lines.Add(random.Next(6) == 0
                ? Ev.Retraction(id, $"{(random.Next(2) == 0 ? prefix : "")}k{random.Next(keys)}", time, source) with { Person = person }
                : Ev.Make(id, time, source: source, person: person, attributes: random.Next(2) == 0 ? "{}" : """{"tool":"copilot"}"""));
        }

        return lines;
    }
}
