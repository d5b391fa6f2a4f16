using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Metrics.Sources.Telemetry;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Metrics.Sources.Common;

/// <summary>Registers a source's Refit client with its base address, credentials, size limit and resilience pipeline.</summary>
public static class SourceHttp
{
    /// <summary>
    /// Adds <typeparamref name="TApi"/> as a named Refit client. <paramref name="configure"/> sets credentials and
    /// default headers from the options; it is skipped while the source has no base URL, so a disabled, unconfigured
    /// source never fails the container.
    /// </summary>
    public static IHttpClientBuilder AddSourceClient<TApi, TOptions>(
        this IServiceCollection services,
        string clientName,
        Func<TOptions, Uri?> baseAddress,
        Action<HttpClient, TOptions>? configure = null)
        where TApi : class
        where TOptions : SourceOptions
    {
        var builder = services
            .AddRefitGeneratedClient<TApi>(_ => SourceJson.CreateRefitSettings(), clientName)
            .ConfigureHttpClient((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<TOptions>>().Value;
                if (baseAddress(options) is { } url)
                {
                    // Refit appends each method's path to the base path; a trailing slash would double it.
                    client.BaseAddress = new Uri(url.AbsoluteUri.TrimEnd('/'));
                }

                // The resilience pipeline owns the time budget; HttpClient.Timeout only backs it up.
                client.Timeout = options.Resilience.TotalTimeout + TimeSpan.FromSeconds(5);
                client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                configure?.Invoke(client, options);
            })
            .RedactLoggedHeaders(_ => true);

        builder.AddStandardResilienceHandler().Configure((resilience, sp) =>
        {
            var r = sp.GetRequiredService<IOptions<TOptions>>().Value.Resilience;
            Apply(resilience, r);
            SourceResilienceTelemetry.Attach(resilience, sp.GetRequiredService<SourceTelemetry>(), SourceTelemetry.SourceOfClient(clientName));
        });

        // Inside the resilience handler, per attempt: an oversized body is refused without a retry.
        builder.AddHttpMessageHandler(sp =>
        {
            var options = sp.GetRequiredService<IOptions<TOptions>>();
            return new ResponseSizeLimitHandler(() => options.Value.MaxResponseBytes);
        });
        builder.AddHttpMessageHandler(sp => new RequestTimingHandler(
            sp.GetRequiredService<SourceTelemetry>(), sp.GetRequiredService<TimeProvider>(), SourceTelemetry.SourceOfClient(clientName)));
        return builder;
    }

    /// <summary>Maps our settings onto the standard handler, keeping its validator's rules satisfied.</summary>
    public static void Apply(HttpStandardResilienceOptions resilience, SourceResilienceOptions r)
    {
        ArgumentNullException.ThrowIfNull(resilience);
        ArgumentNullException.ThrowIfNull(r);
        resilience.AttemptTimeout.Timeout = r.AttemptTimeout;
        resilience.TotalRequestTimeout.Timeout = r.TotalTimeout;
        // The handler insists on at least one retry; MaxRetries = 0 keeps one that never handles anything.
        resilience.Retry.MaxRetryAttempts = Math.Max(1, r.MaxRetries);
        if (r.MaxRetries == 0)
        {
            resilience.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
        }

        resilience.Retry.Delay = r.BaseDelay;
        resilience.Retry.MaxDelay = r.MaxDelay;
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        resilience.Retry.ShouldRetryAfterHeader = true;
        resilience.CircuitBreaker.BreakDuration = r.BreakDuration;
        resilience.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(CountsAgainstCircuit(args.Outcome));
        var sampling = r.AttemptTimeout * 2;
        resilience.CircuitBreaker.SamplingDuration = sampling > TimeSpan.FromSeconds(30) ? sampling : TimeSpan.FromSeconds(30);
    }

    /// <summary>
    /// Whether an outcome is a sign the vendor is broken. A 429, and a 503 that says when to come back
    /// (<c>Retry-After</c>), only ask the client to slow down: the retry waits as told, and counting them would open the
    /// circuit under a rate-limit storm and starve a source that merely needs to go slower.
    /// </summary>
    public static bool CountsAgainstCircuit(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Result is { } response)
        {
            if (response.StatusCode == System.Net.HttpStatusCode.TooManyRequests
                || (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null))
            {
                return false;
            }
        }

        return HttpClientResiliencePredicates.IsTransient(outcome);
    }

    /// <summary>An HTTP Basic credential value (<c>user:secret</c>, Base64).</summary>
    public static AuthenticationHeaderValue Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + secret)));

    /// <summary>
    /// Whether a server-provided link may be followed with this client's credentials: only to the configured origin, so a
    /// forged or misconfigured link never receives them.
    /// </summary>
    public static bool IsSameOrigin(Uri link, Uri configured) =>
        link.IsAbsoluteUri && Uri.Compare(link, configured, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
}
