using Microsoft.Extensions.Options;

namespace Metrics.Worker.Telemetry;

/// <summary>Optional export of metrics and traces over OTLP. Bound from the <c>Telemetry</c> configuration section.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>
    /// An OTLP/gRPC endpoint (e.g. <c>http://otel-collector:4317</c>) that receives metrics and traces. When unset, the
    /// standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> environment variable does the same; with neither, only <c>/metrics</c>
    /// serves the metrics and traces are not recorded.
    /// </summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The <c>service.name</c> resource attribute.</summary>
    /// <value>Default <c>metrics-worker</c>.</value>
    public string ServiceName { get; set; } = "metrics-worker";
}

/// <summary>Checks the telemetry settings at start-up, naming the setting.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.OtlpEndpoint is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"Telemetry:OtlpEndpoint '{url}' is not an absolute http(s) URL.");
        }

        if (string.IsNullOrWhiteSpace(options.ServiceName))
        {
            failures.Add("Telemetry:ServiceName must not be empty.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
