using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Metrics.Sources.Telemetry;

/// <summary>Circuit-breaker states as reported by <c>metrics.source.circuit_breaker.state</c>.</summary>
public enum CircuitState
{
    Closed = 0,
    Open = 1,
    HalfOpen = 2,
}

/// <summary>
/// The sources' metrics and traces. Every tag value comes from a fixed set (source names, <c>success</c>/<c>failure</c>),
/// never from data, so no person identifier and no unbounded value can reach a metrics backend.
/// </summary>
/// <remarks>A singleton: instruments are created once through <see cref="IMeterFactory"/>, which owns the meter.</remarks>
public sealed class SourceTelemetry
{
    /// <summary>The meter and activity source name, to enable in OpenTelemetry.</summary>
    public const string Name = "Metrics.Sources";

    /// <summary>Traces of each source sync.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly TimeProvider _clock;
    private readonly Counter<long> _pages;
    private readonly Counter<long> _events;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _unresolved;
    private readonly Counter<long> _syncs;
    private readonly Counter<long> _retries;
    private readonly Histogram<double> _syncDuration;
    private readonly Histogram<double> _requestDuration;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _newest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CircuitState> _circuits = new(StringComparer.Ordinal);

    public SourceTelemetry(IMeterFactory meterFactory, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        var meter = meterFactory.Create(Name);
        _pages = meter.CreateCounter<long>("metrics.source.pages", "{page}", "Pages read from a source and stored.");
        _events = meter.CreateCounter<long>("metrics.source.events", "{event}", "Events from a source stored in the journal (new, replaced or unchanged).");
        _rejected = meter.CreateCounter<long>("metrics.source.rejected_items", "{item}", "Items a source delivered that could not be used, including failed pages.");
        _unresolved = meter.CreateCounter<long>("metrics.source.unresolved_events", "{event}", "Stored events whose person is not (yet) in the directory.");
        _syncs = meter.CreateCounter<long>("metrics.source.syncs", "{sync}", "Finished syncs of a source, by outcome.");
        _retries = meter.CreateCounter<long>("metrics.source.retries", "{retry}", "HTTP retries made by a source's resilience pipeline.");
        _syncDuration = meter.CreateHistogram<double>("metrics.source.sync.duration", "s", "Duration of one sync of a source.");
        // Not the runtime's http.client.request.duration: that one is tagged by server and route; this one only by source.
        _requestDuration = meter.CreateHistogram<double>("metrics.source.request.duration", "s", "Duration of one HTTP attempt to a source's API.");
        meter.CreateObservableGauge("metrics.source.checkpoint_lag", ObserveLag, "s", "Now minus the newest event stored from a source.");
        meter.CreateObservableGauge("metrics.source.circuit_breaker.state", ObserveCircuits, "{state}", "Circuit breaker of a source's HTTP client: 0 closed, 1 open, 2 half-open.");
    }

    /// <summary>The source a named HTTP client belongs to: <c>source-lms</c> and <c>source-directory-token</c> map to <c>lms</c> and <c>directory</c>.</summary>
    public static string SourceOfClient(string clientName)
    {
        ArgumentNullException.ThrowIfNull(clientName);
        var name = clientName.StartsWith("source-", StringComparison.Ordinal) ? clientName["source-".Length..] : clientName;
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        return dash < 0 ? name : name[..dash];
    }

    public void PageStored(string source, int events, int rejected, int unresolved)
    {
        var tag = new KeyValuePair<string, object?>("source", source);
        _pages.Add(1, tag);
        _events.Add(events, tag);
        _rejected.Add(rejected, tag);
        _unresolved.Add(unresolved, tag);
    }

    public void Rejected(string source, int count) => _rejected.Add(count, new KeyValuePair<string, object?>("source", source));

    public void SyncFinished(string source, bool succeeded, TimeSpan duration)
    {
        var tags = new TagList { { "source", source }, { "outcome", succeeded ? "success" : "failure" } };
        _syncs.Add(1, tags);
        _syncDuration.Record(duration.TotalSeconds, tags);
    }

    public void Retry(string source) => _retries.Add(1, new KeyValuePair<string, object?>("source", source));

    public void RequestFinished(string source, TimeSpan duration) =>
        _requestDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("source", source));

    public void CircuitChanged(string source, CircuitState state) => _circuits[source] = state;

    /// <summary>A pipeline was built: its breaker starts closed, which the gauge shows from then on.</summary>
    public void CircuitCreated(string source) => _circuits.TryAdd(source, CircuitState.Closed);

    /// <summary>Remembers the newest stored event time of a source; an older time never moves it back.</summary>
    public void NewestEvent(string source, DateTimeOffset time) =>
        _newest.AddOrUpdate(source, time, (_, known) => time > known ? time : known);

    private IEnumerable<Measurement<double>> ObserveLag()
    {
        var now = _clock.GetUtcNow();
        foreach (var (source, newest) in _newest)
        {
            // Future-dated events would make the lag negative; 0 says "up to date" without inventing a meaning.
            yield return new Measurement<double>(Math.Max(0, (now - newest).TotalSeconds), new KeyValuePair<string, object?>("source", source));
        }
    }

    private IEnumerable<Measurement<int>> ObserveCircuits()
    {
        foreach (var (source, state) in _circuits)
        {
            yield return new Measurement<int>((int)state, new KeyValuePair<string, object?>("source", source));
        }
    }
}
