using System.Diagnostics;
using System.Diagnostics.Metrics;
using Metrics.Core.Ports;
using Metrics.Worker.Application;

namespace Metrics.Worker.Telemetry;

/// <summary>
/// Metrics and traces of the service loop: cycle duration and outcome, when the last cycle succeeded, the journal's
/// size and the days waiting for a write. Tags come from fixed sets only (<c>outcome</c>: <c>success</c>/<c>failure</c>).
/// </summary>
public sealed class WorkerTelemetry
{
    /// <summary>The meter and activity source name, to enable in OpenTelemetry.</summary>
    public const string Name = "Metrics.Worker";

    /// <summary>Traces of each cycle and each recompute.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>Counting a journal of tens of millions of events takes a while; its size changes slowly, so it is counted at most this often.</summary>
    private static readonly TimeSpan CountInterval = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _clock;
    private readonly Histogram<double> _cycleDuration;
    private long _journalEvents = -1;
    private long _dirtyDays = -1;
    private long _lastSuccessTicks;
    private DateTimeOffset _lastCount = DateTimeOffset.MinValue;

    public WorkerTelemetry(IMeterFactory meterFactory, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        StartedAt = clock.GetUtcNow();
        var meter = meterFactory.Create(Name);
        _cycleDuration = meter.CreateHistogram<double>("metrics.cycle.duration", "s", "Duration of one service cycle (sources due, then recompute of the dirty days), by outcome.");
        meter.CreateObservableGauge("metrics.cycle.last_success", ObserveLastSuccess, "s", "When the last cycle succeeded, as Unix time.");
        meter.CreateObservableGauge("metrics.journal.events", () => Observe(Interlocked.Read(ref _journalEvents)), "{event}", "Events stored in the journal (retractions included).");
        meter.CreateObservableGauge("metrics.kpi.dirty_days", () => Observe(Interlocked.Read(ref _dirtyDays)), "{day}", "Days from the journal's dirty mark through today that wait for a KPI write; 0 when all are written.");
    }

    /// <summary>When the service started (this object is created with the worker).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>When the last cycle succeeded; null before the first.</summary>
    public DateTimeOffset? LastSuccessfulCycle
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastSuccessTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public void CycleFinished(bool succeeded, TimeSpan duration)
    {
        _cycleDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", succeeded ? "success" : "failure"));
        if (succeeded)
        {
            Interlocked.Exchange(ref _lastSuccessTicks, _clock.GetUtcNow().UtcTicks);
        }
    }

    /// <summary>Reads the dirty mark (cheap, every cycle) and the event count (at most every few minutes) into the gauges.</summary>
    public async Task RefreshJournalAsync(IEventJournal journal, KpiRecomputer recomputer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(recomputer);
        var mark = await journal.GetDirtyAsync(cancellationToken);
        Interlocked.Exchange(ref _dirtyDays, DirtyDays(mark, recomputer));
        var now = _clock.GetUtcNow();
        if (now - _lastCount >= CountInterval)
        {
            Interlocked.Exchange(ref _journalEvents, await journal.CountEventsAsync(cancellationToken));
            _lastCount = now;
        }
    }

    /// <summary>Days from the mark's day through today in the org zone; a mark in the future still means one day to write.</summary>
    internal static long DirtyDays(DirtyMark? mark, KpiRecomputer recomputer)
    {
        if (mark is null)
        {
            return 0;
        }

        var from = recomputer.Calendar.DayOf(mark.Value.From);
        return Math.Max(1, recomputer.Today.DayNumber - from.DayNumber + 1);
    }

    private static IEnumerable<Measurement<long>> Observe(long value)
    {
        // Unknown until the first cycle read it: no series rather than a misleading zero.
        if (value >= 0)
        {
            yield return new Measurement<long>(value);
        }
    }

    private IEnumerable<Measurement<double>> ObserveLastSuccess()
    {
        if (LastSuccessfulCycle is { } last)
        {
            yield return new Measurement<double>(last.ToUnixTimeMilliseconds() / 1000.0);
        }
    }
}
