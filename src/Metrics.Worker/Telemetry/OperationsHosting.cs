using Metrics.Influx;
using Metrics.Sources.Telemetry;
using Metrics.Worker.Health;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Metrics.Worker.Telemetry;

/// <summary>
/// What operators see of the service: metrics at <c>/metrics</c> (Prometheus) and optionally over OTLP, traces over
/// OTLP, liveness and readiness endpoints, and the log format. See docs/operations.md.
/// </summary>
public static class OperationsHosting
{
    /// <summary>The meters and activity sources of this service, all with bounded tags.</summary>
    public static readonly string[] SourceNames = [WorkerTelemetry.Name, SourceTelemetry.Name, InfluxTelemetry.Name];

    /// <summary>Seconds-valued histograms: the SDK's default buckets are tuned for milliseconds and would put every cycle in one bucket.</summary>
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

    /// <summary>The OpenTelemetry SDK's own variable: when set, OTLP export is on even without <c>Telemetry:OtlpEndpoint</c>.</summary>
    private const string OtlpEnvironmentVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddMetricsOperations(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Logging.AddMetricsLogFormat(builder.Configuration);

        builder.Services.AddSingleton<WorkerTelemetry>();
        builder.Services.AddOptions<TelemetryOptions>().Bind(builder.Configuration.GetSection(TelemetryOptions.SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();

        // The exporters are chosen while the services are registered, before options exist; the same values are
        // validated on start, which reports a bad endpoint by its setting name.
        var settings = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var endpoint = settings.OtlpEndpoint is { IsAbsoluteUri: true } configured ? configured : null;
        var otlp = endpoint is not null || !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEnvironmentVariable]);

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(string.IsNullOrWhiteSpace(settings.ServiceName) ? "metrics-worker" : settings.ServiceName));
        otel.WithMetrics(metrics =>
        {
            metrics.AddMeter(SourceNames)
                .AddView(instrument => SourceNames.Contains(instrument.Meter.Name, StringComparer.Ordinal) && instrument.Unit == "s"
                    ? new ExplicitBucketHistogramConfiguration { Boundaries = SecondsBuckets }
                    : null)
                .AddPrometheusExporter();
            if (otlp)
            {
                metrics.AddOtlpExporter(o => SetEndpoint(o, endpoint));
            }
        });
        if (otlp)
        {
            otel.WithTracing(tracing => tracing.AddSource(SourceNames).AddOtlpExporter(o => SetEndpoint(o, endpoint)));
        }

        builder.Services.AddMetricsHealthChecks(builder.Configuration);
        return builder;
    }

    public static WebApplication MapMetricsOperations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPrometheusScrapingEndpoint();
        app.MapMetricsHealthChecks();
        return app;
    }

    /// <summary>
    /// <c>Logging:Format</c>: <c>simple</c> (default, for people), <c>json</c> (one JSON object per line with event id,
    /// category and the message's named values, for log shippers) or <c>systemd</c>.
    /// </summary>
    public static ILoggingBuilder AddMetricsLogFormat(this ILoggingBuilder logging, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(configuration);
        var format = configuration["Logging:Format"]?.Trim().ToLowerInvariant();
        switch (format)
        {
            case null or "" or "simple":
                break;
            case "json":
                logging.AddJsonConsole(o =>
                {
                    o.UseUtcTimestamp = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
                });
                break;
            case "systemd":
                logging.AddSystemdConsole(o => o.UseUtcTimestamp = true);
                break;
            default:
                throw new OptionsValidationException("Logging:Format", typeof(ConsoleLoggerOptions),
                    [$"Logging:Format must be simple, json or systemd (was '{configuration["Logging:Format"]}')."]);
        }

        return logging;
    }

    private static void SetEndpoint(OpenTelemetry.Exporter.OtlpExporterOptions options, Uri? endpoint)
    {
        if (endpoint is not null)
        {
            options.Endpoint = endpoint;
            options.Protocol = OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;
        }
    }
}
