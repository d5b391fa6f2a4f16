using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using Metrics.Core.Ports;
using Metrics.Sources.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Metrics.Sources.GitHubCopilot;

/// <summary>
/// Reads every Copilot seat of an organization or enterprise (Link-header paging) and stores each newly seen latest
/// activity. Every pull reads all seats; the lookback bounds which instants are stored.
/// </summary>
public sealed class GitHubCopilotSource(IGitHubCopilotApi api, IOptions<GitHubCopilotOptions> options, TimeProvider clock) : IEventSource
{
    public string Name => GitHubCopilotMapper.SourceName;

    public bool Enabled => options.Value.Enabled;

    public TimeSpan Interval => options.Value.Interval;

    /// <summary>The connector's registration: the common one plus GitHub's rate-limit answers made retryable.</summary>
    public static IServiceCollection Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddConnector<IGitHubCopilotApi, GitHubCopilotOptions, GitHubCopilotOptionsValidator, GitHubCopilotSource>(configuration, GitHubCopilotOptions.SectionName);
        // Added after the common handlers, so it sits inside the resilience pipeline and runs on every attempt.
        services.AddHttpClient("source-" + GitHubCopilotMapper.SourceName)
            .AddHttpMessageHandler(sp => new GitHubRateLimitHandler(sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    public async IAsyncEnumerable<SourcePage> PullAsync(string? checkpoint, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var since = window.From ?? (checkpoint is null ? now - o.InitialLookback : now - o.Lookback);
        var until = window.To ?? now;
        var origin = o.BaseUrl!;
        var first = string.Create(CultureInfo.InvariantCulture, $"{origin.AbsoluteUri.TrimEnd('/')}{o.SeatsPath()}?per_page={o.PageSize}&page=1");
        var shape = GitHubSeatsPage.Shape with
        {
            Next = (p, _) => p.NextLink is { Length: > 0 } link && !SourceHttp.IsSameOrigin(new Uri(link, UriKind.RelativeOrAbsolute), origin)
                ? throw new SourcePageException("seats page failed: the Link header points to another host")
                : p.NextLink,
        };
        await foreach (var read in Paging.ReadAsync("Copilot seats", shape, o.MaxItemsPerPage, (link, ct) => FetchAsync(link ?? first, ct), cancellationToken))
        {
            var page = new PageBuilder(Name) { ItemCount = read.Items.Count };
            foreach (var raw in read.Items)
            {
                GitHubCopilotMapper.Map(raw, since, until, page);
            }

            yield return page.Build(window.IsBackfill ? null : Checkpoints.Format(now));
        }
    }

    private async Task<Refit.IApiResponse<GitHubSeatsPage>> FetchAsync(string url, CancellationToken cancellationToken)
    {
        var response = await api.GetSeatsAsync(url, cancellationToken);
        if (response.Content is { } page)
        {
            page.NextLink = response.Headers is { } headers ? GitHubSeatsPage.NextOf(headers) : null;
        }

        return response;
    }
}

/// <summary>
/// GitHub answers a rate limit with 403 or 429, saying when to come back in <c>Retry-After</c> (secondary limits) or
/// <c>x-ratelimit-reset</c> with <c>x-ratelimit-remaining: 0</c> (primary limit, Unix seconds). Such an answer becomes a
/// 429 with <c>Retry-After</c>, which the resilience pipeline waits for and retries (up to its MaxDelay) and which never
/// counts against the circuit breaker. A 403 without those headers is a real refusal (missing permission) and stays.
/// </summary>
public sealed class GitHubRateLimitHandler(TimeProvider clock) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests))
        {
            return response;
        }

        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter is null && Header(response, "x-ratelimit-remaining") == "0"
            && long.TryParse(Header(response, "x-ratelimit-reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var reset))
        {
            var wait = DateTimeOffset.FromUnixTimeSeconds(reset) - clock.GetUtcNow();
            retryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait > TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(Math.Ceiling(wait.TotalSeconds)) : TimeSpan.FromSeconds(1));
        }

        if (retryAfter is not null)
        {
            response.StatusCode = HttpStatusCode.TooManyRequests;
            response.Headers.RetryAfter = retryAfter;
        }

        return response;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;
}
