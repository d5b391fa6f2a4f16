using System.Diagnostics;
using Metrics.Core.Directory;
using Metrics.Core.Kpis;
using Metrics.Core.Ports;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Application;

/// <summary>Progress of a recompute: the day being computed, how far through the range, and points written so far.</summary>
public readonly record struct RecomputeProgress(DateOnly Day, int DaysDone, int DaysTotal, long Points, TimeSpan Elapsed);

/// <summary>The journal changed while a recompute ran: its points would carry older knowledge than the journal holds.</summary>
public sealed class RecomputeSupersededException(DateOnly from, DateOnly to)
    : InvalidOperationException($"the journal changed while {from:yyyy-MM-dd}..{to:yyyy-MM-dd} was recomputed; the range stays dirty and is computed again next cycle");

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
    private readonly Metrics.Core.Events.PlausibleTimeRange _timeRange = options.Value.TimeRange;
    private readonly DateOnly _earliestDay = options.Value.TimeRange.EarliestDay(options.Value.ResolveTimeZone());

    public OrgCalendar Calendar => _engine.Calendar;

    /// <summary>Today in the org's time zone.</summary>
    public DateOnly Today => _engine.Calendar.DayOf(timeProvider.GetUtcNow());

    /// <summary>
    /// Recomputes <paramref name="from"/>..<paramref name="to"/> and replaces it in the store. The range is marked dirty
    /// before anything is deleted, so a recompute that is killed or fails halfway leaves it to the next cycle; the mark as
    /// it was before is restored afterwards unless the range covered it.
    /// </summary>
    public Task<RecomputeResult> RecomputeAsync(DateOnly from, DateOnly to, IProgress<RecomputeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (to < from)
        {
            throw new ArgumentException($"--to {to:yyyy-MM-dd} is before --from {from:yyyy-MM-dd}", nameof(to));
        }

        (from, to) = ClampToPlausible(from, to);
        var today = Today;
        return RunClaimedAsync(
            from,
            to,
            claim => claim.PreviousFrom is { } previous && (previous < _engine.Calendar.StartOf(from) || to < today) ? previous : null,
            progress,
            cancellationToken);
    }

    /// <summary>No recompute starts before the first plausible day: nothing earlier can hold an accepted event.</summary>
    private (DateOnly From, DateOnly To) ClampToPlausible(DateOnly from, DateOnly to)
    {
        var earliest = _earliestDay;
        if (to < earliest)
        {
            throw new ArgumentException($"the range ends ({to:yyyy-MM-dd}) before the earliest accepted day {earliest:yyyy-MM-dd} (Kpi:EarliestTime)", nameof(to));
        }

        return (from < earliest ? earliest : from, to);
    }

    /// <summary>
    /// Claims the mark, computes and writes; when the journal's knowledge changes while it runs, it stops writing (a
    /// range must never go back to older knowledge) and starts again, a few times, before leaving the range dirty.
    /// </summary>
    private async Task<RecomputeResult> RunClaimedAsync(
        DateOnly from,
        DateOnly to,
        Func<RecomputeClaim, DateTimeOffset?> restoreTo,
        IProgress<RecomputeProgress>? progress,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var claim = await journal.BeginRecomputeAsync(_engine.Calendar.StartOf(from), cancellationToken);
            RecomputeResult result;
            try
            {
                result = await ComputeAndWriteAsync(from, to, claim.Generation, progress, cancellationToken);
            }
            catch (RecomputeSupersededException) when (attempt < MaxAttempts)
            {
                Log.RecomputeSuperseded(logger, from, to, attempt);
                continue;
            }

            if (!await journal.FinishRecomputeAsync(claim, restoreTo(claim), cancellationToken))
            {
                Log.RecomputeMarkKept(logger, from, to);
            }

            return result;
        }
    }

    /// <summary>Attempts of one recompute whose journal keeps changing under it; past them the range stays dirty for the next cycle.</summary>
    private const int MaxAttempts = 3;

    private async Task<RecomputeResult> ComputeAndWriteAsync(
        DateOnly from, DateOnly to, long generation, IProgress<RecomputeProgress>? progress, CancellationToken cancellationToken)
    {
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
        CheckGeneration(generation, from, to, cancellationToken);

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
                    // Checked once a day of points: when an import or sync changed the journal since the claim, these
                    // points lack what it brought, and writing them would move the range back in knowledge.
                    CheckGeneration(generation, from, to, cancellationToken);
                }

                count++;
                yield return p;
            }
        }

        var written = await store.ReplaceRangeAsync(from, to, Reporting(), cancellationToken);
        await CoverageState.RecordAsync(journal, Today, from, to, stats.DailyBySource, cancellationToken);
        if (stats.People is { } people && people.Date == Today)
        {
            // Only a range through today says who the sources cover now; a recompute of old days leaves it alone.
            await new JournalState(journal).SetPeopleCoverageAsync(people, cancellationToken);
        }
        progress?.Report(new RecomputeProgress(to, daysTotal, daysTotal, written, stopwatch.Elapsed));
        Log.Recomputed(logger, from, to, written, stats.EventsRead, stopwatch.ElapsedMilliseconds);
        return new RecomputeResult(from, to, written, stats.EventsRead, stats.BySource, stopwatch.Elapsed);
    }

    private void CheckGeneration(long generation, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        // Synchronous on purpose: it runs inside the store's enumeration of the points, and SQLite reads are synchronous anyway.
        if (journal.GetGenerationAsync(cancellationToken).GetAwaiter().GetResult() != generation)
        {
            throw new RecomputeSupersededException(from, to);
        }
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
        // A mark before the plausible range (a directory record from year 1, a journal of an older version) starts at
        // the first plausible day: the calendar cannot even name the days a year-1 mark would ask for.
        var from = mark.Value.From < _timeRange.Earliest ? _earliestDay : _engine.Calendar.DayOf(mark.Value.From);
        if (from > to)
        {
            // Only future-dated changes: nothing to show yet, and the days will be computed when they come.
            from = to;
        }

        // The mark is cleared unless something before this range was marked between the read and the claim.
        return await RunClaimedAsync(
            from,
            to,
            claim => claim.PreviousFrom is { } previous && previous < _engine.Calendar.StartOf(from) && previous >= _timeRange.Earliest ? previous : null,
            progress,
            cancellationToken);
    }
}
