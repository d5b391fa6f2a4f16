using System.Globalization;
using System.Runtime.CompilerServices;
using Metrics.Core.Ports;
using Metrics.Sources.Common;
using Metrics.Sources.Directory;
using Microsoft.Extensions.Options;

namespace Metrics.Sources.M365Copilot;

/// <summary>
/// Reads <c>getMicrosoft365CopilotUsageUserDetail</c> (JSON, <c>@odata.nextLink</c> paging) with a client-credentials token
/// of the directory connector's Entra app, from the one <see cref="EntraTokenCache"/>. Every pull re-reads the lookback
/// (the report shows a day up to 72 hours late); the dedupe key makes re-reading harmless, and a date seen late marks
/// its day dirty in the journal like any late event.
/// </summary>
public sealed class M365CopilotSource(
    IM365CopilotApi api,
    IGraphTokenApi tokens,
    EntraTokenCache tokenCache,
    IOptions<M365CopilotOptions> options,
    IOptions<DirectoryOptions> directory,
    TimeProvider clock) : IEventSource
{
    /// <summary>What the failure says when the tenant conceals user names: the cause and the fix, never a silent 0 %.</summary>
    public const string ConcealedNamesMessage =
        "Microsoft 365 Copilot usage report shows concealed user names (the tenant's report privacy setting), so no row can be matched to a person. "
        + "Fix: Microsoft 365 admin center > Settings > Org settings > Services > Reports: clear 'Display concealed user, group, and site names in all reports' "
        + "(or PATCH /admin/reportSettings {\"displayConcealedNames\": false}); the next pull reads the lookback again.";

    public string Name => M365CopilotMapper.SourceName;

    public bool Enabled => options.Value.Enabled;

    public TimeSpan Interval => options.Value.Interval;

    /// <summary>The smallest report period that covers <paramref name="days"/> days, and never shorter than the configured one.</summary>
    public static string PeriodFor(string configured, int days)
    {
        var periods = M365CopilotOptions.Periods;
        var start = Math.Max(0, periods.ToList().IndexOf(configured));
        for (var i = start; i < periods.Count - 1; i++)
        {
            if (int.Parse(periods[i].AsSpan(1), CultureInfo.InvariantCulture) >= days)
            {
                return periods[i];
            }
        }

        return "ALL";
    }

    public async IAsyncEnumerable<SourcePage> PullAsync(string? checkpoint, PullWindow window, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var since = DateOnly.FromDateTime((window.From ?? (checkpoint is null ? now - o.InitialLookback : now - o.Lookback)).UtcDateTime);
        var until = window.To is { } to ? DateOnly.FromDateTime(to.UtcDateTime) : today;
        var (endpoint, clientId, secret) = o.App(directory.Value);
        var authorization = "Bearer " + await tokenCache.GetAsync(tokens, endpoint!, clientId!, secret!, o.Scope, cancellationToken);
        var origin = o.BaseUrl!;
        var first = string.Create(CultureInfo.InvariantCulture,
            $"{origin.AbsoluteUri.TrimEnd('/')}{o.ReportPath}(period='{PeriodFor(o.Period, today.DayNumber - since.DayNumber + 1)}')?$format=application/json");
        var shape = M365CopilotPage.Shape with
        {
            Next = (p, _) => p.NextLink is { Length: > 0 } link && !SourceHttp.IsSameOrigin(new Uri(link, UriKind.RelativeOrAbsolute), origin)
                ? throw new SourcePageException("report page failed: @odata.nextLink points to another host")
                : p.NextLink,
        };
        var rows = 0;
        await foreach (var read in Paging.ReadAsync("Copilot usage report", shape, o.MaxItemsPerPage,
            (link, ct) => api.GetUsageAsync(link ?? first, authorization, ct), cancellationToken))
        {
            var page = new PageBuilder(Name) { ItemCount = read.Items.Count };
            var (mapped, concealed) = (0, 0);
            foreach (var raw in read.Items)
            {
                rows++;
                switch (M365CopilotMapper.Map(raw, string.Create(CultureInfo.InvariantCulture, $"{read.What} row {rows}"), since, until, page))
                {
                    case M365CopilotMapper.RowKind.Mapped:
                        mapped++;
                        break;
                    case M365CopilotMapper.RowKind.Concealed:
                        concealed++;
                        break;
                    default:
                        break;
                }
            }

            // The privacy setting conceals every name of the tenant: a page of hashes is the whole report, so the
            // source fails loudly (source health, alert) instead of reporting nobody as a Copilot user.
            if (concealed > 0 && mapped == 0)
            {
                throw new SourcePageException(ConcealedNamesMessage);
            }

            for (var i = 0; i < concealed; i++)
            {
                page.Bad(read.What, "concealed user name");
            }

            yield return page.Build(window.IsBackfill ? null : Checkpoints.Format(now));
        }
    }
}
