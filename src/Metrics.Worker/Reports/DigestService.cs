using System.Globalization;
using Metrics.Core.Kpis;
using Metrics.Core.Ports;
using Metrics.Worker.Application;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Reports;

/// <summary>
/// Makes the weekly digest: the KPIs are read back from the store (what the boards show, not a recompute), data health
/// from the journal's source records; then the HTML is written to a file and, when configured, e-mailed.
/// </summary>
public sealed partial class DigestService(
    IKpiStore store,
    IEventJournal journal,
    IngestionCycle cycle,
    KpiRecomputer recomputer,
    IOptions<KpiOptions> kpiOptions,
    IOptions<ReportOptions> reportOptions,
    TimeProvider timeProvider,
    ILogger<DigestService> logger)
{
    /// <summary>The week a digest made now is about: the one that ended yesterday in the org's zone.</summary>
    public DateOnly DefaultWeekEnd => recomputer.Today.AddDays(-1);

    public async Task<(Digest Digest, string Html)> BuildAsync(DateOnly weekEnd, CancellationToken cancellationToken)
    {
        var points = new List<KpiPoint>();
        foreach (var day in Digest.TrendDays(weekEnd))
        {
            await foreach (var p in store.ReadAsync(day, day, null, cancellationToken))
            {
                points.Add(p);
            }
        }

        var minimum = kpiOptions.Value.MinimumGroupSize;
        var digest = DigestBuilder.Build(points, weekEnd, minimum, await DataHealthAsync(cancellationToken), timeProvider.GetUtcNow(), kpiOptions.Value.TimeZone);
        return (digest, DigestHtml.Render(digest, minimum));
    }

    /// <summary>Writes the digest to <paramref name="path"/>, or into <c>Report:Directory</c> under its week's name; returns the full path.</summary>
    public async Task<string> WriteAsync(Digest digest, string html, string? path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digest);
        path = Path.GetFullPath(path ?? Path.Combine(reportOptions.Value.Directory, FileName(digest.WeekEnd)));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written beside and moved: a reader (a mail job, a web server) never sees half a file.
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, html, cancellationToken);
        File.Move(temporary, path, overwrite: true);
        Log.DigestWritten(logger, digest.WeekEnd, path);
        return path;
    }

    public static string FileName(DateOnly weekEnd) => "ai-readiness-digest-" + weekEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".html";

    private async Task<IReadOnlyList<SourceDataHealth>> DataHealthAsync(CancellationToken cancellationToken)
    {
        var coverage = await CoverageState.SumAsync(journal, recomputer.Today, cancellationToken);
        var state = new JournalState(journal);
        var sources = cycle.Schedules.Where(s => s.Enabled).Select(s => s.Name)
            .Concat(coverage.Keys)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
        var health = new List<SourceDataHealth>();
        foreach (var source in sources)
        {
            var record = await state.GetSyncRecordAsync(source, cancellationToken);
            var (events, unresolved) = coverage.GetValueOrDefault(source);
            health.Add(new SourceDataHealth(source, events, unresolved, record.LastSuccess, record.Failures, await journal.NewestEventTimeAsync(source, cancellationToken)));
        }

        return health;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Digest of the week ending {WeekEnd} written to {Path}")]
        public static partial void DigestWritten(ILogger logger, DateOnly weekEnd, string path);
    }
}
