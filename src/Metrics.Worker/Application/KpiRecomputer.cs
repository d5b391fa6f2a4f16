using System.Diagnostics;
using Metrics.Core.Directory;
using Metrics.Core.Kpis;
using Metrics.Core.Ports;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Application;

/// <summary>Progress of a recompute: the day being computed, how far through the range, and points written so far.</summary>
public readonly record struct RecomputeProgress(DateOnly Day, int DaysDone, int DaysTotal, long Points, TimeSpan Elapsed);

/// <summary>What a recompute did.</summary>
public sealed record RecomputeResult(DateOnly From, DateOnly To, long PointsWritten, long EventsRead, IReadOnlyDictionary<string, SourceCoverage> Coverage, TimeSpan Elapsed);

/// <summary>
/// Recomputes KPIs of a day range from the journal and replaces them in the store. The journal streams, the engine
/// folds day by day and the store writes in batches, so a year of history never sits in memory.
/// </summary>
public sealed class KpiRecomputer(
    IEventJournal journal,
    IKpiStore store,
    IOptions<KpiOptions> options,
    TimeProvider timeProvider,
    ILogger<KpiRecomputer> logger)
{
    private readonly KpiEngine _engine = new(options.Value);

    public OrgCalendar Calendar => _engine.Calendar;

    /// <summary>Today in the org's time zone.</summary>
    public DateOnly Today => _engine.Calendar.DayOf(timeProvider.GetUtcNow());

    public async Task<RecomputeResult> RecomputeAsync(DateOnly from, DateOnly to, IProgress<RecomputeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (to < from)
        {
            throw new ArgumentException($"--to {to:yyyy-MM-dd} is before --from {from:yyyy-MM-dd}", nameof(to));
        }

        using var activity = Telemetry.WorkerTelemetry.ActivitySource.StartActivity("kpi.recompute");
        activity?.SetTag("from", from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        activity?.SetTag("to", to.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var stopwatch = Stopwatch.StartNew();
        var directory = OrgDirectory.Build(await journal.LoadDirectoryAsync(cancellationToken), await journal.LoadIdentitiesAsync(cancellationToken));
        var catalog = await LoadCatalogAsync(cancellationToken);
        var (fullHistoryBefore, end) = _engine.StreamBounds(from, to);
        var events = journal.StreamAsync(fullHistoryBefore, end, cancellationToken).ToBlockingEnumerable(cancellationToken);
        var stats = new ComputeStats();
        var points = _engine.Compute(events, directory, catalog, from, to, stats);
        var daysTotal = to.DayNumber - from.DayNumber + 1;

        IEnumerable<KpiPoint> Reporting()
        {
            var lastDay = DateOnly.MinValue;
            var count = 0L;
            foreach (var p in points)
            {
                if (p.Date != lastDay)
                {
                    lastDay = p.Date;
                    progress?.Report(new RecomputeProgress(p.Date, p.Date.DayNumber - from.DayNumber, daysTotal, count, stopwatch.Elapsed));
                }

                count++;
                yield return p;
            }
        }

        var written = await store.ReplaceRangeAsync(from, to, Reporting(), cancellationToken);
        await CoverageState.RecordAsync(journal, Today, from, to, stats.DailyBySource, cancellationToken);
        progress?.Report(new RecomputeProgress(to, daysTotal, daysTotal, written, stopwatch.Elapsed));
        Log.Recomputed(logger, from, to, written, stats.EventsRead, stopwatch.ElapsedMilliseconds);
        return new RecomputeResult(from, to, written, stats.EventsRead, stats.BySource, stopwatch.Elapsed);
    }

    /// <summary>The configured catalog (<c>Kpi:RequiredCourses</c>) with the imported one on top.</summary>
    private async Task<CourseCatalog> LoadCatalogAsync(CancellationToken cancellationToken)
    {
        var courses = new Dictionary<string, Course>(StringComparer.Ordinal);
        foreach (var (id, levels) in options.Value.RequiredCourses)
        {
            if (DirectoryCsvParser.ParseCourseLine(Csv.Escape(id) + "," + levels).Value is { } course)
            {
                courses[course.Id] = course;
            }
        }

        foreach (var course in await journal.LoadCoursesAsync(cancellationToken))
        {
            courses[course.Id] = course;
        }

        return new CourseCatalog(courses.Values);
    }

    /// <summary>
    /// Recomputes from the earliest dirty day through today, then clears the mark unless something marked it again
    /// meanwhile. A failed write throws and leaves the mark, so the next cycle retries: nothing is lost.
    /// </summary>
    public async Task<RecomputeResult?> RecomputeDirtyAsync(DateOnly? through = null, IProgress<RecomputeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var mark = await journal.GetDirtyAsync(cancellationToken);
        if (mark is null)
        {
            return null;
        }

        var to = through ?? Today;
        var from = _engine.Calendar.DayOf(mark.Value.From);
        if (from > to)
        {
            // Only future-dated changes: nothing to show yet, and the days will be computed when they come.
            from = to;
        }

        var result = await RecomputeAsync(from, to, progress, cancellationToken);
        await journal.ClearDirtyAsync(mark.Value.Generation, cancellationToken);
        return result;
    }
}
