using Microsoft.Extensions.Logging;

namespace Metrics.Influx;

/// <summary>Log events of the InfluxDB adapter. Event ids are stable (2000-2099) so alerts and queries can rely on them.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, EventName = "InfluxServerDetected", Level = LogLevel.Information,
        Message = "InfluxDB at {Url} reports version {Version}; writing KPIs through the {Api} API (Influx:Api = {Configured})")]
    public static partial void ServerDetected(ILogger logger, string url, string version, InfluxApi api, string configured);

    [LoggerMessage(EventId = 2001, EventName = "InfluxDeleteUnsupported", Level = LogLevel.Warning,
        Message = "The server at {Url} has no delete endpoint ({Status}); recomputed days overwrite their KPI points, but a point that is no longer produced stays stored")]
    public static partial void DeleteUnsupported(ILogger logger, string url, int status);

    [LoggerMessage(EventId = 2002, EventName = "InfluxDatabaseEnsured", Level = LogLevel.Information,
        Message = "Database {Database} exists on {Url}")]
    public static partial void DatabaseEnsured(ILogger logger, string database, string url);

    [LoggerMessage(EventId = 2003, EventName = "InfluxBucketCreated", Level = LogLevel.Information,
        Message = "Created bucket {Bucket} in org {Org} on {Url}")]
    public static partial void BucketCreated(ILogger logger, string bucket, string org, string url);

    [LoggerMessage(EventId = 2004, EventName = "InfluxBucketCreationSkipped", Level = LogLevel.Debug,
        Message = "Not creating bucket {Bucket} on {Url}: the server reports version {Version}, not InfluxDB 1.x or 2.x (InfluxDB 3 and VictoriaMetrics create databases on write)")]
    public static partial void BucketCreationSkipped(ILogger logger, string bucket, string url, string? version);

    [LoggerMessage(EventId = 2006, EventName = "InfluxBucketsApiMissing", Level = LogLevel.Debug,
        Message = "Not creating bucket {Bucket} on {Url}: the server has no buckets API ({Status})")]
    public static partial void BucketsApiMissing(ILogger logger, string bucket, string url, int status);

    [LoggerMessage(EventId = 2005, EventName = "InfluxRangeReplaced", Level = LogLevel.Debug,
        Message = "Replaced the KPIs of {From}..{To} on {Url}: {Count} points written")]
    public static partial void RangeReplaced(ILogger logger, DateOnly from, DateOnly to, string url, long count);
}
