using System.Diagnostics;
using System.Globalization;
using Metrics.Core.Events;
using Metrics.Journal;

namespace Metrics.Bench;

/// <summary>
/// The journal's append alone, at a chosen arrival order and batch size: the figures behind the alternatives recorded in
/// docs/performance.md. Events are the path bench's mix; "random" spreads them over the year in random order, "time"
/// appends them in time order (the best case).
/// </summary>
public static class AppendBench
{
    public static async Task RunAsync(long count, int people, string order, int batchSize, TextWriter output, bool bulk = false)
    {
        var path = Path.Combine(Path.GetTempPath(), $"metrics-append-{Guid.NewGuid():N}.db");
        try
        {
            var events = RecomputeBench.Events(people, count, 365).ToArray();
            if (order == "random")
            {
                // Same events, same keys, times shuffled among them: every batch lands all over the year.
                var times = events.Select(e => e.Time).ToArray();
                new Random(11).Shuffle(times);
                for (var i = 0; i < events.Length; i++)
                {
                    events[i] = events[i] with { Time = times[i] };
                }
            }

            using var journal = new SqliteEventJournal(path);
            PeakMemory.Reset();
            var clock = Stopwatch.StartNew();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            await AppendAllAsync(journal, events, batchSize, bulk);
            var first = clock.Elapsed;
            var firstCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            clock.Restart();
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var again = (await AppendAllAsync(journal, events, batchSize, bulk)).Unchanged;
            var againCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"append {count:N0} events ({order} order, batches of {batchSize:N0}{(bulk ? ", all in one AppendManyAsync" : "")}): {count / first.TotalSeconds:N0} events/s ({first.TotalSeconds:F1} s, CPU {firstCpu.TotalSeconds:F1} s); " +
                $"the same again (all duplicates, {again:N0} unchanged): {count / clock.Elapsed.TotalSeconds:N0} events/s (CPU {againCpu.TotalSeconds:F1} s); " +
                $"file {new FileInfo(path).Length / (1024 * 1024):N0} MiB; peak RSS {PeakMemory.PeakMiB():N0} MiB"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>Batch after batch on the row path, or the whole sequence in one call (the import's bulk path).</summary>
    private static async Task<Metrics.Core.Ports.AppendResult> AppendAllAsync(SqliteEventJournal journal, CanonicalEvent[] events, int batchSize, bool bulk)
    {
        if (bulk)
        {
            return await journal.AppendManyAsync(events.Chunk(batchSize).ToAsyncEnumerable());
        }

        var total = default(Metrics.Core.Ports.AppendResult);
        foreach (var chunk in events.Chunk(batchSize))
        {
            var r = await journal.AppendAsync(chunk);
            total = new Metrics.Core.Ports.AppendResult(total.Inserted + r.Inserted, total.Replaced + r.Replaced, total.Unchanged + r.Unchanged);
        }

        return total;
    }
}
