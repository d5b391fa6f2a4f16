using System.Globalization;
using System.Runtime.CompilerServices;
using Metrics.Core.Ports;
using Metrics.Sources.Common;
using Microsoft.Extensions.Options;

namespace Metrics.Sources.Ticketing;

/// <summary>
/// Pulls issues by their <c>updated</c> time with epoch-millisecond JQL bounds (date literals would be read in the API
/// user's zone, with minute precision), oldest first, following <c>nextPageToken</c>.
/// </summary>
public sealed class JiraSource(IJiraApi api, IOptions<TicketingOptions> options, TimeProvider clock) : IEventSource
{
    public string Name => JiraMapper.SourceName;

    public bool Enabled => options.Value.Enabled;

    public TimeSpan Interval => options.Value.Interval;

    /// <summary>The bounded JQL of one pull.</summary>
    public static string Jql(string restriction, DateTimeOffset from, DateTimeOffset to) => string.Create(
        CultureInfo.InvariantCulture,
        $"({restriction}) AND updated >= {from.ToUnixTimeMilliseconds()} AND updated <= {to.ToUnixTimeMilliseconds()} ORDER BY updated ASC, id ASC");

    public async IAsyncEnumerable<SourcePage> PullAsync(string? checkpoint, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var o = options.Value;
        var mapper = new JiraMapper(o);
        var now = clock.GetUtcNow();
        var from = window.From ?? Checkpoints.Start(checkpoint, o, now);
        var settled = now - o.SettleDelay;
        var to = window.To is { } t && t < settled ? t : settled;
        var jql = Jql(o.Jql!, from, to);
        var fields = mapper.Fields();
        var best = Checkpoints.Parse(checkpoint);
        await foreach (var read in Paging.ReadAsync("issue search", JiraSearchResponse.Shape, o.MaxItemsPerPage,
            (token, ct) => api.SearchAsync(jql, token, o.PageSize, fields, ct), cancellationToken))
        {
            var page = new PageBuilder(Name) { ItemCount = read.Items.Count };
            foreach (var raw in read.Items)
            {
                if (mapper.Map(raw, page) is { } updated && updated <= to && (best is null || updated > best))
                {
                    best = updated;
                }
            }

            yield return page.Build(window.IsBackfill || best is null ? null : Checkpoints.Format(best.Value));
        }
    }
}
