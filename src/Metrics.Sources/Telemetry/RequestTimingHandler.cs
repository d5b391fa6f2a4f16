namespace Metrics.Sources.Telemetry;

/// <summary>
/// Times each HTTP attempt of a source's client into <c>metrics.source.request.duration</c>. It sits inside the
/// resilience handler, so a retried request counts once per attempt and the backoff waits are not counted as latency.
/// </summary>
internal sealed class RequestTimingHandler(SourceTelemetry telemetry, TimeProvider clock, string source) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            telemetry.RequestFinished(source, clock.GetElapsedTime(started));
        }
    }
}
