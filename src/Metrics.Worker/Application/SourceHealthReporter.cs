using Metrics.Core.Kpis;
using Metrics.Core.Ports;
using Metrics.Sources.Sync;

namespace Metrics.Worker.Application;

/// <summary>
/// Writes the <c>source_health</c> points of the data-health board after sync attempts. The 28-day event and
/// unresolved counts come from the per-day coverage each recompute records in the journal (so they follow late
/// resolution exactly); success and consecutive failures are kept in the journal so they survive restarts.
/// </summary>
public sealed class SourceHealthReporter(IEventJournal journal, IKpiStore store, KpiRecomputer recomputer, TimeProvider timeProvider)
{
    private readonly JournalState _state = new(journal);

    /// <summary>Updates and writes the health of every source that was attempted.</summary>
    public async Task ReportAsync(IEnumerable<SourceSyncResult> attempts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        var attempted = attempts.Where(a => !a.Skipped).ToList();
        if (attempted.Count == 0)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        var coverage = await CoverageState.SumAsync(journal, recomputer.Today, cancellationToken);
        var people = await _state.GetPeopleCoverageAsync(cancellationToken);
        var health = new List<SourceHealth>();
        foreach (var attempt in attempted)
        {
            var state = await _state.GetSyncRecordAsync(attempt.Source, cancellationToken);
            state = attempt.Succeeded
                ? new SourceSyncRecord { LastSuccessUnix = now.ToUnixTimeSeconds(), Failures = 0 }
                : state with { Failures = state.Failures + 1 };
            await _state.SetSyncRecordAsync(attempt.Source, state, cancellationToken);

            var newest = await journal.NewestEventTimeAsync(attempt.Source, cancellationToken);
            var (events, unresolved) = coverage.GetValueOrDefault(attempt.Source);
            int? covered = people is not null && people.BySource.TryGetValue(attempt.Source, out var n) ? n : null;
            health.Add(new SourceHealth(
                attempt.Source,
                now,
                events,
                unresolved,
                attempt.BadItemCount,
                newest is { } t ? Math.Max(0, (now - t).TotalSeconds) : null,
                state.LastSuccess,
                state.Failures,
                covered,
                covered is null ? null : people!.Headcount));
        }

        await store.WriteSourceHealthAsync(health, cancellationToken);
    }

}

/// <summary>
/// Per-day, per-source counts of resolved and unresolved events, kept in the journal's state for the last
/// <see cref="Days"/> days. Each recompute rewrites the days it computed, so the counts follow late resolution.
/// </summary>
public static class CoverageState
{
    /// <summary>Days of coverage summed into a source's event and unresolved counts.</summary>
    public const int Days = 28;

    /// <summary>Records each recomputed day that can still fall in the window ending <paramref name="today"/>.</summary>
    public static async Task RecordAsync(IEventJournal journal, DateOnly today, DateOnly from, DateOnly to, IReadOnlyDictionary<DateOnly, Dictionary<string, SourceCoverage>> daily, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(daily);
        var state = new JournalState(journal);
        var first = today.AddDays(-(Days - 1));
        for (var day = from < first ? first : from; day <= to; day = day.AddDays(1))
        {
            var counts = daily.TryGetValue(day, out var bySource)
                ? bySource.ToDictionary(kv => kv.Key, kv => new DayCoverage(kv.Value.Resolved, kv.Value.Unresolved), StringComparer.Ordinal)
                : [];
            await state.SetCoverageAsync(day, counts, cancellationToken);
        }
    }

    /// <summary>Events (resolved or not) and unresolved events per source over the window ending <paramref name="today"/>.</summary>
    public static async Task<Dictionary<string, (long Events, long Unresolved)>> SumAsync(IEventJournal journal, DateOnly today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var state = new JournalState(journal);
        var sums = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        for (var day = today.AddDays(-(Days - 1)); day <= today; day = day.AddDays(1))
        {
            foreach (var (source, counts) in await state.GetCoverageAsync(day, cancellationToken) ?? new Dictionary<string, DayCoverage>())
            {
                var (events, unresolved) = sums.GetValueOrDefault(source);
                sums[source] = (events + counts.Resolved + counts.Unresolved, unresolved + counts.Unresolved);
            }
        }

        return sums;
    }
}
