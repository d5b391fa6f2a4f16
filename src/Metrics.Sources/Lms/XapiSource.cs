using System.Globalization;
using System.Runtime.CompilerServices;
using Metrics.Core.Ports;
using Metrics.Sources.Common;
using Microsoft.Extensions.Options;

namespace Metrics.Sources.Lms;

/// <summary>
/// Pulls statements by their <c>stored</c> time, oldest first, following <c>more</c> links. The checkpoint never
/// passes <c>X-Experience-API-Consistent-Through</c>: statements stored after it may still be arriving.
/// </summary>
public sealed class XapiSource(IXapiApi api, IOptions<LmsOptions> options, TimeProvider clock) : IEventSource
{
    public const string SourceName = "lms";

    public const string ConsistentThroughHeader = "X-Experience-API-Consistent-Through";

    public string Name => SourceName;

    public bool Enabled => options.Value.Enabled;

    public TimeSpan Interval => options.Value.Interval;

    public async IAsyncEnumerable<SourcePage> PullAsync(string? checkpoint, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var o = options.Value;
        var mapper = new XapiMapper(o);
        var now = clock.GetUtcNow();
        var since = window.From ?? Checkpoints.Start(checkpoint, o, now);
        var until = window.To is { } to && to < now ? to : now;
        var origin = new Uri(o.BaseUrl!.GetLeftPart(UriPartial.Authority));
        var best = Checkpoints.Parse(checkpoint);
        await foreach (var read in Paging.ReadAsync("statements", XapiStatementResult.Shape(origin), o.MaxItemsPerPage,
            (link, ct) => link is null
                ? api.GetStatementsAsync(Time(since), Time(until), o.PageSize, "true", "exact", ct)
                : api.GetMoreAsync(link, ct),
            cancellationToken))
        {
            var consistentThrough = read.Headers is { } headers && headers.TryGetValues(ConsistentThroughHeader, out var values)
                && SourceJson.TryParseTime(values.FirstOrDefault(), out var ct) ? ct : (DateTimeOffset?)null;
            var page = new PageBuilder(SourceName) { ItemCount = read.Items.Count };
            DateTimeOffset? lastStored = null;
            foreach (var raw in read.Items)
            {
                if (mapper.Map(raw, page) is { } stored && (lastStored is null || stored > lastStored))
                {
                    lastStored = stored;
                }
            }

            if (lastStored is { } last)
            {
                var safe = consistentThrough is { } limit && limit < last ? limit : last;
                if (best is null || safe > best)
                {
                    best = safe;
                }
            }

            yield return page.Build(window.IsBackfill || best is null ? null : Checkpoints.Format(best.Value));
        }
    }

    /// <summary>Resolves a <c>more</c> IRL against the LRS origin (not the xAPI path); null at the end.</summary>
    public static string? NextLink(string? more, Uri origin, string what)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (string.IsNullOrWhiteSpace(more))
        {
            return null;
        }

        if (!Uri.TryCreate(origin, more.Trim(), out var resolved) || !SourceHttp.IsSameOrigin(resolved, origin))
        {
            throw new SourcePageException($"{what}: 'more' link does not point at the LRS origin");
        }

        return resolved.AbsoluteUri;
    }

    private static string Time(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
