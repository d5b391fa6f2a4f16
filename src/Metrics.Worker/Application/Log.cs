namespace Metrics.Worker.Application;

/// <summary>Source-generated log messages of the worker, with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Recomputed KPIs {From} to {To}: {Points} points from {Events} events in {ElapsedMs} ms")]
    public static partial void Recomputed(ILogger logger, DateOnly from, DateOnly to, long points, long events, long elapsedMs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "KPI cycle failed; dirty days stay marked and are retried next cycle")]
    public static partial void CycleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Worker started: cycle every {Interval}")]
    public static partial void WorkerStarted(ILogger logger, TimeSpan interval);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "KPI store not ready yet; retrying next cycle")]
    public static partial void StoreNotReady(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Source {Source} failed this cycle: {Error}; the other sources and the KPI cycle go on")]
    public static partial void SourceFailed(ILogger logger, string source, string error);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "Source {Source} sync crashed; retried at its next interval")]
    public static partial void SourceCrashed(ILogger logger, string source, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Journal gauges not refreshed this cycle ({ErrorType}); metrics.journal.events and metrics.kpi.dirty_days may be stale")]
    public static partial void GaugesNotRefreshed(ILogger logger, string errorType);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Recompute of {From} to {To} stopped: the journal changed while it ran (attempt {Attempt}); the range stays dirty and is computed again")]
    public static partial void RecomputeSuperseded(ILogger logger, DateOnly from, DateOnly to, int attempt);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "Recompute of {From} to {To} written, but the dirty mark changed meanwhile; it stays for the next cycle")]
    public static partial void RecomputeMarkKept(ILogger logger, DateOnly from, DateOnly to);
}
