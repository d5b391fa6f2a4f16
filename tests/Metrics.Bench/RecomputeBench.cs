using System.Diagnostics;
using Metrics.Core.Directory;
using Metrics.Core.Events;
using Metrics.Core.Kpis;
using Metrics.Journal;

namespace Metrics.Bench;

public sealed record BenchResult(long Events, long Points, TimeSpan Elapsed, IReadOnlyList<(string Phase, TimeSpan Elapsed)> Phases);

/// <summary>A synthetic company: people spread over departments and levels, events spread evenly over the days.</summary>
public static class RecomputeBench
{
    private static readonly DateOnly Start = new(2025, 1, 1);
    private static readonly EventType[] Mix =
    [
        EventType.AiUsed, EventType.AiUsed, EventType.AiUsed, EventType.AiUsed, EventType.AiUsed, EventType.AiUsed,
        EventType.TrainingCompleted, EventType.ProposalSubmitted, EventType.DecisionRecorded, EventType.KnowledgeShared,
        EventType.PrototypeCreated, EventType.ProjectMember, EventType.ProposalAdopted, EventType.TrainingEnrolled,
    ];

    public static OrgDirectory Directory(int people) => OrgDirectory.Build(Records(people));

    private static IEnumerable<DirectoryRecord> Records(int people)
    {
        for (var p = 0; p < people; p++)
        {
            yield return new DirectoryRecord($"p{p}@example.com", $"Department {p % 60}", (Level)(p % 4), Start.AddDays(-30), null);
        }
    }

    private static CourseCatalog Catalog() => new([new Course("ai-basics", Levels.All), new Course("ai-strategy", [Level.Executive])]);

    public static IEnumerable<CanonicalEvent> Events(int people, long count, int days)
    {
        var rng = new Random(7);
        var startTicks = new DateTimeOffset(Start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).UtcTicks;
        var step = TimeSpan.FromDays(days).Ticks / count;
        for (long i = 0; i < count; i++)
        {
            var type = Mix[rng.Next(Mix.Length)];
            var subject = type switch
            {
                EventType.AiUsed => null,
                EventType.TrainingCompleted or EventType.TrainingEnrolled => rng.Next(3) == 0 ? "ai-strategy" : "ai-basics",
                EventType.ProjectMember => $"project-{rng.Next(5000)}",
                EventType.ProposalSubmitted or EventType.ProposalAdopted => $"proposal-{rng.Next(200_000)}",
                _ => $"x-{i}",
            };
            yield return new CanonicalEvent("bench", i.ToString(System.Globalization.CultureInfo.InvariantCulture), type,
                new DateTimeOffset(startTicks + (i * step), TimeSpan.Zero), $"p{rng.Next(people)}@example.com", subject, rng.Next(2) == 0, "{}");
        }
    }

    public static BenchResult Engine(int people, long count, int days)
    {
        var clock = Stopwatch.StartNew();
        var engine = new KpiEngine(new KpiOptions { TimeZone = "Europe/Berlin" });
        var points = 0L;
        foreach (var _ in engine.Compute(Events(people, count, days), Directory(people), Catalog(), Start, Start.AddDays(days - 1)))
        {
            points++;
        }

        return new BenchResult(count, points, clock.Elapsed, []);
    }

    /// <summary>
    /// Appends the events to a journal in time order, then scans, streams and computes from it. With
    /// <paramref name="keep"/> the journal is that file and is kept: a file that exists already is streamed as it is
    /// (a 50 M-event journal takes a quarter of an hour to append), so it must hold the same people, events and days.
    /// <paramref name="computeOnly"/> skips the bare scan and the stream alone (for a profile of the engine's phase).
    /// </summary>
    public static async Task<BenchResult> JournalAsync(int people, long count, int days, string? keep = null, bool computeOnly = false)
    {
        var path = keep ?? Path.Combine(Path.GetTempPath(), $"metrics-bench-{Guid.NewGuid():N}.db");
        var reuse = keep is not null && File.Exists(keep);
        var phases = new List<(string, TimeSpan)>();
        try
        {
            using var journal = new SqliteEventJournal(path);
            var cpu = TimeSpan.Zero;
            CpuSeconds(ref cpu);
            var clock = Stopwatch.StartNew();
            if (!reuse)
            {
                // The import command's transaction size (CanonicalImporter.BatchSize).
                var batch = new List<CanonicalEvent>(50_000);
                foreach (var e in Events(people, count, days))
                {
                    batch.Add(e);
                    if (batch.Count == batch.Capacity)
                    {
                        await journal.AppendAsync(batch);
                        batch.Clear();
                    }
                }

                await journal.AppendAsync(batch);
                phases.Add(($"append (CPU {CpuSeconds(ref cpu):F1} s)", clock.Elapsed));
            }

            if (!computeOnly)
            {
                clock.Restart();
                var scanned = 0L;
                using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
                {
                    connection.Open();
                    using var scan = connection.CreateCommand();
                    scan.CommandText = "SELECT source, id, type, time_ticks, offset_minutes, person, subject, ai_assisted, attributes FROM events " +
                        "WHERE retracted = 0 AND type <> 14 ORDER BY time_ticks, source, id;";
                    using var reader = scan.ExecuteReader();
                    while (reader.Read())
                    {
                        scanned++;
                    }
                }

                phases.Add(($"SQLite's scan of the same rows, no column read ({scanned:N0} rows, CPU {CpuSeconds(ref cpu):F1} s)", clock.Elapsed));

                clock.Restart();
                var streamGcs = GC.CollectionCount(0);
                var streamPause = GC.GetTotalPauseDuration();
                var streamed = 0L;
                await foreach (var _ in journal.StreamAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
                {
                    streamed++;
                }

                phases.Add(($"stream alone ({streamed:N0} events, {GC.CollectionCount(0) - streamGcs} collections, GC pause {(GC.GetTotalPauseDuration() - streamPause).TotalSeconds:F2} s, CPU {CpuSeconds(ref cpu):F1} s)", clock.Elapsed));
            }

            clock.Restart();
            var gcs = GC.CollectionCount(0);
            var fullGcs = GC.CollectionCount(2);
            var pause = GC.GetTotalPauseDuration();
            var threadsBefore = ThreadCpu();
            var engine = new KpiEngine(new KpiOptions { TimeZone = "Europe/Berlin" });
            var to = Start.AddDays(days - 1);
            var (full, end) = engine.StreamBounds(Start, to);
            var points = 0L;
            var digest = new PointDigest();
            foreach (var point in engine.Compute(journal.StreamAsync(full, end).ToBlockingEnumerable(), Directory(people), Catalog(), Start, to))
            {
                points++;
                digest.Add(point);
            }

            phases.Add(($"points digest {digest}", TimeSpan.Zero));
            phases.Add(($"CPU: {BusiestThreads(threadsBefore, ThreadCpu())}", TimeSpan.Zero));
            phases.Add(($"stream + compute ({GC.CollectionCount(0) - gcs} collections, {GC.CollectionCount(2) - fullGcs} of them full, GC pause {(GC.GetTotalPauseDuration() - pause).TotalSeconds:F2} s, CPU {CpuSeconds(ref cpu):F1} s)", clock.Elapsed));
            return new BenchResult(count, points, clock.Elapsed, phases);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (keep is null)
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>CPU time per thread of this process (Linux reads /proc per thread).</summary>
    private static Dictionary<int, TimeSpan> ThreadCpu()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = new Dictionary<int, TimeSpan>();
        foreach (ProcessThread thread in process.Threads)
        {
            try
            {
                cpu[thread.Id] = thread.TotalProcessorTime;
            }
            catch (InvalidOperationException)
            {
                // The thread ended while being read.
            }
        }

        return cpu;
    }

    /// <summary>
    /// The CPU of the busiest thread in between (the engine's: the stream's reader moves between pool threads at each
    /// hand-over) and of all the others. The two sides run at once, so on an idle machine the phase takes at least the
    /// busier side (plus the collector's pauses).
    /// </summary>
    private static string BusiestThreads(Dictionary<int, TimeSpan> before, Dictionary<int, TimeSpan> after)
    {
        var spent = after.Select(kv => (kv.Value - before.GetValueOrDefault(kv.Key)).TotalSeconds).OrderDescending().ToList();
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"engine thread {spent.FirstOrDefault():F1} s, all other threads {spent.Skip(1).Sum():F1} s");
    }

    /// <summary>The process's CPU seconds since the previous call: on a shared machine the wall clock overstates a phase.</summary>
    private static double CpuSeconds(ref TimeSpan previous)
    {
        using var process = Process.GetCurrentProcess();
        var now = process.TotalProcessorTime;
        var spent = now - previous;
        previous = now;
        return spent.TotalSeconds;
    }
}

/// <summary>
/// An order-sensitive digest of every point (day, group, KPI, window, tier, tool, value): two builds of the engine that
/// print the same digest for the same journal computed the same points, which a count alone would not show.
/// </summary>
public sealed class PointDigest
{
    private ulong _hash = 14695981039346656037UL;

    public void Add(KpiPoint point)
    {
        Mix(point.Date.DayNumber);
        Mix(point.Department);
        Mix(point.Kpi);
        Mix(point.Window);
        Mix(point.Level?.ToString());
        Mix(point.Tool);
        Mix(BitConverter.DoubleToInt64Bits(point.Value));
    }

    public override string ToString() => _hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    private void Mix(long value)
    {
        _hash = (_hash ^ (ulong)value) * 1099511628211UL;
    }

    private void Mix(string? text)
    {
        Mix(text?.Length ?? -1);
        foreach (var c in text ?? string.Empty)
        {
            Mix(c);
        }
    }
}
