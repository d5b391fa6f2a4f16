using System.Diagnostics.Metrics;
using Metrics.Sources.Telemetry;
using Metrics.Sources.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace Metrics.Sources.Tests.Telemetry;

public sealed class SourceTelemetryTests
{
    [Theory]
    [InlineData("source-lms", "lms")]
    [InlineData("source-lowcode", "lowcode")]
    [InlineData("source-directory-token", "directory")]
    [InlineData("source-directory", "directory")]
    public void SourceOfClient_ClientName_MapsToTheSourceName(string client, string source) =>
        Assert.Equal(source, SourceTelemetry.SourceOfClient(client));

    [Fact]
    public void CheckpointLag_NewerAndOlderEvents_ReportsNowMinusTheNewest()
    {
        var now = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var telemetry = new SourceTelemetry(factory, new FixedNowTimeProvider(now));
        telemetry.NewestEvent("lms", now.AddHours(-3));
        telemetry.NewestEvent("lms", now.AddHours(-1));
        telemetry.NewestEvent("lms", now.AddHours(-5));
        var measured = new List<(double Value, string? Source)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this test's meter: other tests create their own SourceTelemetry in parallel.
            if (instrument.Name == "metrics.source.checkpoint_lag" && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
            measured.Add((value, tags.ToArray().Single(t => t.Key == "source").Value as string)));
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Equal([(3600.0, "lms")], measured);
    }
}
