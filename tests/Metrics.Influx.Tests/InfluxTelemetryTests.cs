using System.Diagnostics.Metrics;
using Metrics.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Metrics.Influx.Tests;

/// <summary>Write metrics and the uncached ping, against real influxd processes.</summary>
[Collection(InfluxDbCollection.Name)]
public sealed class InfluxTelemetryTests(InfluxDbFixture influx)
{
    [Fact]
    public async Task ReplaceRangeAsync_V1Success_CountsEveryPointAndTimesDeleteAndBatches()
    {
        using var recorder = new Recorder();
        using var store = Stores.Create(influx.Url, o => { o.Database = influx.NewDatabase(); o.BatchSize = 5; }, telemetry: recorder.Telemetry);
        await store.EnsureReadyAsync();
        var points = SamplePoints.AcrossBerlinDst();

        var written = await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, points);

        Assert.Equal(points.Count, written);
        Assert.Equal(written, recorder.Sum("metrics.influx.points_written", "api", "v1"));
        Assert.Equal(0, recorder.Count("metrics.influx.write_failures"));
        // One delete of the range, then one request per batch of five.
        Assert.Equal(1 + ((points.Count + 4) / 5), recorder.Count("metrics.influx.write.duration", "outcome", "success"));
    }

    [Fact]
    public async Task ReplaceRangeAsync_ServerGoneAfterDetection_CountsAFailureAndNoPoint()
    {
        await using var server = new InfluxDbProcess();
        await server.StartAsync();
        using var recorder = new Recorder();
        using var store = Stores.Create(server.Url, o => { o.Database = server.NewDatabase(); o.Timeout = TimeSpan.FromSeconds(5); }, telemetry: recorder.Telemetry);
        await store.EnsureReadyAsync();
        await server.StopAsync();

        await Assert.ThrowsAsync<KpiStoreException>(() => store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, SamplePoints.AcrossBerlinDst()));

        Assert.Equal(1, recorder.Sum("metrics.influx.write_failures", "api", "v1"));
        Assert.Equal(0, recorder.Count("metrics.influx.points_written"));
        Assert.Equal(1, recorder.Count("metrics.influx.write.duration", "outcome", "failure"));
    }

    [Fact]
    public async Task PingAsync_ServerStoppedThenStarted_FailsThenSucceedsWithoutCaching()
    {
        await using var server = new InfluxDbProcess();
        await server.StartAsync();
        using var store = Stores.Create(server.Url, o => o.Timeout = TimeSpan.FromSeconds(5));
        await store.PingAsync();

        await server.StopAsync();
        var ex = await Assert.ThrowsAsync<KpiStoreException>(() => store.PingAsync());
        Assert.Contains(server.Url, ex.Message, StringComparison.Ordinal);

        await server.StartAsync();
        await store.PingAsync();
    }

    /// <summary>Collects the measurements of one <see cref="InfluxTelemetry"/> only; other tests' instruments run in parallel.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private readonly MeterListener _listener = new();
        private readonly List<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = [];

        public Recorder()
        {
            var factory = _services.GetRequiredService<IMeterFactory>();
            Telemetry = new InfluxTelemetry(factory);
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
            _listener.Start();
        }

        public InfluxTelemetry Telemetry { get; }

        public double Sum(string instrument, string tag, string value) =>
            Matching(instrument, tag, value).Sum(m => m.Value);

        public int Count(string instrument, string? tag = null, string? value = null) =>
            Matching(instrument, tag, value).Count();

        public void Dispose()
        {
            _listener.Dispose();
            _services.Dispose();
        }

        private IEnumerable<(string Instrument, double Value, Dictionary<string, object?> Tags)> Matching(string instrument, string? tag, string? value)
        {
            lock (_measurements)
            {
                return _measurements
                    .Where(m => m.Instrument == instrument && (tag is null || Equals(m.Tags.GetValueOrDefault(tag), value)))
                    .ToList();
            }
        }

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var t in tags)
            {
                copy[t.Key] = t.Value;
            }

            lock (_measurements)
            {
                _measurements.Add((instrument.Name, value, copy));
            }
        }
    }
}
