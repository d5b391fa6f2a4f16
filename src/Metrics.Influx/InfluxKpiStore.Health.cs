namespace Metrics.Influx;

public sealed partial class InfluxKpiStore
{
    /// <summary>
    /// Asks <c>/ping</c> whether the server answers now. Unlike <see cref="DetectServerAsync"/> nothing is cached, so a
    /// readiness probe sees an outage and the recovery as they happen.
    /// </summary>
    /// <exception cref="KpiStoreException">The server did not answer, or answered with an error.</exception>
    public Task PingAsync(CancellationToken cancellationToken = default) =>
        WithTimeoutAsync("Ping", async ct =>
        {
            using var request = NewRequest(HttpMethod.Get, "ping", []);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            await EnsureSuccessAsync(response, "Ping", ct);
            return 0;
        }, cancellationToken);
}
