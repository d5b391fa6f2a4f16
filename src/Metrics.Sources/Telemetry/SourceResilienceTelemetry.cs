using Microsoft.Extensions.Http.Resilience;

namespace Metrics.Sources.Telemetry;

/// <summary>Feeds retries and circuit-breaker transitions of a source's standard resilience handler into <see cref="SourceTelemetry"/>.</summary>
internal static class SourceResilienceTelemetry
{
    public static void Attach(HttpStandardResilienceOptions resilience, SourceTelemetry telemetry, string source)
    {
        telemetry.CircuitCreated(source);
        resilience.Retry.OnRetry = _ =>
        {
            telemetry.Retry(source);
            return ValueTask.CompletedTask;
        };
        resilience.CircuitBreaker.OnOpened = _ =>
        {
            telemetry.CircuitChanged(source, CircuitState.Open);
            return ValueTask.CompletedTask;
        };
        resilience.CircuitBreaker.OnHalfOpened = _ =>
        {
            telemetry.CircuitChanged(source, CircuitState.HalfOpen);
            return ValueTask.CompletedTask;
        };
        resilience.CircuitBreaker.OnClosed = _ =>
        {
            telemetry.CircuitChanged(source, CircuitState.Closed);
            return ValueTask.CompletedTask;
        };
    }
}
