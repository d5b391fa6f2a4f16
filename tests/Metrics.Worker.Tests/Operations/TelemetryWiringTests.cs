using Metrics.Worker.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Metrics.Worker.Tests.Operations;

/// <summary>How the <c>run</c> web app wires OpenTelemetry from configuration (built, not started, unless a test says so).</summary>
public sealed class TelemetryWiringTests
{
    [Fact]
    public async Task BuildWebApp_NoOtlpEndpoint_MetricsButNoTracing()
    {
        await using var app = WorkerHost.BuildWebApp(["--Telemetry:OtlpEndpoint", ""]);

        Assert.NotNull(app.Services.GetService<MeterProvider>());
        // Without an exporter nobody would read the spans, so none are recorded.
        Assert.Null(app.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task BuildWebApp_OtlpEndpointSetting_AddsTracing()
    {
        await using var app = WorkerHost.BuildWebApp(["--Telemetry:OtlpEndpoint", "http://127.0.0.1:4317"]);

        Assert.NotNull(app.Services.GetService<TracerProvider>());
    }

    [Fact]
    public async Task Start_RelativeOtlpEndpoint_FailsNamingTheSetting()
    {
        var journal = Path.Combine(Path.GetTempPath(), "metrics-wiring-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            await using var app = WorkerHost.BuildWebApp(["--urls", "http://127.0.0.1:0", "--Journal:Path", journal, "--Telemetry:OtlpEndpoint", "collector/otlp"]);

            var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

            Assert.Contains(ex.Failures, f => f.Contains("Telemetry:OtlpEndpoint 'collector/otlp' is not an absolute http(s) URL.", StringComparison.Ordinal));
        }
        finally
        {
            // The host may open the journal before validation fails; leave nothing behind in the shared temp folder.
            foreach (var file in new[] { journal, journal + "-wal", journal + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
