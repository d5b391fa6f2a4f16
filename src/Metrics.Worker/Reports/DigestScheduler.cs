using Metrics.Core.Kpis;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Reports;

/// <summary>
/// The weekly digest inside the service (<c>Report:Weekly:Enabled</c>): on the configured weekday and time of the
/// org's zone it writes the digest of the week that ended the day before and e-mails it when SMTP is configured.
/// </summary>
public sealed partial class DigestScheduler(
    DigestService digests,
    DigestMailer mailer,
    IOptions<ReportOptions> reportOptions,
    IOptions<KpiOptions> kpiOptions,
    TimeProvider timeProvider,
    ILogger<DigestScheduler> logger) : BackgroundService
{
    /// <summary>The first instant after <paramref name="now"/> that is <paramref name="day"/> at <paramref name="at"/> on the wall clock of <paramref name="zone"/>.</summary>
    public static DateTimeOffset NextRun(DateTimeOffset now, TimeZoneInfo zone, DayOfWeek day, TimeSpan at)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        for (var i = 0; i <= 7; i++)
        {
            var candidate = date.AddDays(i);
            if (candidate.DayOfWeek != day)
            {
                continue;
            }

            var wall = candidate.ToDateTime(TimeOnly.FromTimeSpan(at));
            // A wall time skipped by a DST change is taken an hour later rather than lost for the week.
            if (zone.IsInvalidTime(wall))
            {
                wall = wall.AddHours(1);
            }

            var instant = new DateTimeOffset(wall, zone.GetUtcOffset(wall));
            if (instant > now)
            {
                return instant;
            }
        }

        return NextRun(now.AddDays(1), zone, day, at);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var weekly = reportOptions.Value.Weekly;
        if (!weekly.Enabled)
        {
            return;
        }

        var zone = kpiOptions.Value.ResolveTimeZone();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = timeProvider.GetUtcNow();
            var next = NextRun(now, zone, weekly.Day, weekly.At);
            Log.DigestScheduled(logger, next);
            await Task.Delay(next - now, timeProvider, stoppingToken);
            try
            {
                var (digest, html) = await digests.BuildAsync(digests.DefaultWeekEnd, stoppingToken);
                await digests.WriteAsync(digest, html, null, stoppingToken);
                if (mailer.Enabled)
                {
                    await mailer.SendAsync(digest, html, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One failed digest (InfluxDB down, SMTP refused) must not stop the service; the next week tries again
                // and `report` can make this one by hand.
                Log.DigestFailed(logger, e.GetType().Name, e.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Next weekly digest at {Next}")]
        public static partial void DigestScheduled(ILogger logger, DateTimeOffset next);

        [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "Weekly digest failed ({Error}): {Reason}; run `report` to make it by hand")]
        public static partial void DigestFailed(ILogger logger, string error, string reason);
    }
}
