using System.Diagnostics.Metrics;
using Metrics.Core.Ports;
using Metrics.Sources.Sync;
using Metrics.Sources.Telemetry;
using Metrics.Sources.Tests.Fakes;
using Metrics.Testing.Vendors;
using Microsoft.Extensions.DependencyInjection;
using static Metrics.Testing.Vendors.XapiPages;

namespace Metrics.Sources.Tests.Telemetry;

/// <summary>What one real sync (registration, Refit client, resilience pipeline) reports as metrics.</summary>
public sealed class SyncTelemetryTests
{
    private static Dictionary<string, string?> Settings(Uri server)
    {
        var s = SourceHost.FastResilience("Sources:Lms");
        s["Sources:Lms:Enabled"] = "true";
        s["Sources:Lms:BaseUrl"] = new Uri(server, "/xapi").ToString();
        s["Sources:Lms:Username"] = "key";
        s["Sources:Lms:Password"] = "s3cret";
        s["Sources:Lms:CourseActivityPrefixes:0"] = CoursePrefix;
        return s;
    }

    [Fact]
    public async Task SyncAsync_OneRetryThenAPage_CountsPagesEventsRetriesAttemptsAndLag()
    {
        var calls = 0;
        await using var server = await VendorHost.StartAsync((ctx, _) =>
        {
            ctx.Response.Headers["X-Experience-API-Version"] = "1.0.3";
            return Interlocked.Increment(ref calls) == 1
                ? VendorHost.WriteJsonAsync(ctx, "{}", 503)
                : VendorHost.WriteJsonAsync(ctx, Result(
                    null,
                    Statement("6690e6c9-3ef0-4ed3-8b37-7f3964730bee", Adl + "registered", CoursePrefix + "ai-basics", "2026-03-09T09:00:00.000Z"),
                    Statement("5a6e2b5c-1e35-4d1a-9a8a-1d4c1f5b0b01", Adl + "completed", CoursePrefix + "ai-basics", "2026-03-10T10:00:00.000Z")));
        });
        using var host = SourceHost.Create(Settings(server.BaseUri));
        using var recorder = new Recorder(host.Provider.GetRequiredService<IMeterFactory>());

        var report = await host.Sync.SyncAsync("lms", null, null, null, CancellationToken.None);

        Assert.True(report.Succeeded, report.Sources[0].Error);
        Assert.Equal(1, recorder.Sum("metrics.source.pages"));
        Assert.Equal(2, recorder.Sum("metrics.source.events"));
        // No directory is loaded, so both people are unresolved.
        Assert.Equal(2, recorder.Sum("metrics.source.unresolved_events"));
        Assert.Equal(0, recorder.Sum("metrics.source.rejected_items"));
        Assert.Equal(1, recorder.Sum("metrics.source.retries"));
        Assert.Equal(2, recorder.Count("metrics.source.request.duration"));
        Assert.Equal(1, recorder.Sum("metrics.source.syncs", "outcome", "success"));
        Assert.All(recorder.All(), m => Assert.Equal("lms", m.Source));
        // Now is 12:00; the newest stored event is 10:00 the same day.
        Assert.Equal([7200.0], recorder.Observe("metrics.source.checkpoint_lag"));
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.Zero), await new JournalState(host.Journal).GetNewestEventAsync("lms"));
    }

    [Fact]
    public async Task SyncAsync_SourceKeepsFailing_CountsAFailedSync()
    {
        await using var server = await VendorHost.StartAsync((ctx, _) => VendorHost.WriteJsonAsync(ctx, "{}", 503));
        using var host = SourceHost.Create(Settings(server.BaseUri));
        using var recorder = new Recorder(host.Provider.GetRequiredService<IMeterFactory>());

        var report = await host.Sync.SyncAsync("lms", null, null, null, CancellationToken.None);

        Assert.False(report.Succeeded);
        Assert.Equal(1, recorder.Sum("metrics.source.syncs", "outcome", "failure"));
        Assert.Equal(0, recorder.Sum("metrics.source.syncs", "outcome", "success"));
        Assert.Equal(3, recorder.Sum("metrics.source.retries"));
        Assert.Equal(1, recorder.Sum("metrics.source.rejected_items"));
        Assert.Empty(recorder.Observe("metrics.source.checkpoint_lag"));
    }

    [Fact]
    public async Task SyncAsync_AfterRestartWithNothingNew_LagComesFromTheJournal()
    {
        var journal = new InMemoryEventJournal();
        await new JournalState(journal).SetNewestEventAsync("lms", new DateTimeOffset(2026, 3, 9, 12, 0, 0, TimeSpan.Zero));
        await using var server = await VendorHost.StartAsync((ctx, _) =>
        {
            ctx.Response.Headers["X-Experience-API-Version"] = "1.0.3";
            return VendorHost.WriteJsonAsync(ctx, Result(null));
        });
        using var host = SourceHost.Create(Settings(server.BaseUri), journal);
        using var recorder = new Recorder(host.Provider.GetRequiredService<IMeterFactory>());

        await host.Sync.SyncAsync("lms", null, null, null, CancellationToken.None);

        Assert.Equal([86400.0], recorder.Observe("metrics.source.checkpoint_lag"));
    }

    /// <summary>Measurements of one provider's meters only: other tests create theirs in parallel.</summary>
    private sealed class Recorder : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Instrument, double Value, string? Source, string? Outcome)> _measurements = [];

        public Recorder(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == SourceTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Add(i, v, tags));
            _listener.Start();
        }

        public double Sum(string instrument, string? tag = null, string? value = null) =>
            All().Where(m => m.Instrument == instrument && (tag is null || (tag == "outcome" ? m.Outcome : m.Source) == value)).Sum(m => m.Value);

        public int Count(string instrument) => All().Count(m => m.Instrument == instrument);

        public List<(string Instrument, double Value, string? Source, string? Outcome)> All()
        {
            lock (_measurements)
            {
                return [.. _measurements.Where(m => !m.Instrument.StartsWith("observed:", StringComparison.Ordinal))];
            }
        }

        public List<double> Observe(string instrument)
        {
            lock (_measurements)
            {
                _measurements.RemoveAll(m => m.Instrument == "observed:" + instrument);
            }

            _listener.RecordObservableInstruments();
            lock (_measurements)
            {
                return [.. _measurements.Where(m => m.Instrument == "observed:" + instrument).Select(m => m.Value)];
            }
        }

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? source = null, outcome = null;
            foreach (var t in tags)
            {
                source = t.Key == "source" ? t.Value as string : source;
                outcome = t.Key == "outcome" ? t.Value as string : outcome;
            }

            // Gauges are kept apart from what the sync recorded, so each observation is read fresh.
            var name = instrument.IsObservable ? "observed:" + instrument.Name : instrument.Name;
            lock (_measurements)
            {
                _measurements.Add((name, value, source, outcome));
            }
        }
    }
}
