using Microsoft.Extensions.Logging;

namespace Metrics.Sources.Common;

/// <summary>Log messages of the sources. None carries a person identifier, a credential or a response body.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Source {Source}: {Pages} pages, {Items} items, {Inserted} new and {Replaced} replaced events, {Bad} bad items, {Unresolved} unresolved, in {Seconds:F1}s")]
    public static partial void SourceSynced(ILogger logger, string source, int pages, long items, int inserted, int replaced, int bad, int unresolved, double seconds);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Source {Source} failed after {Pages} pages: {Error}")]
    public static partial void SourceFailed(ILogger logger, string source, int pages, string error);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "Source {Source}: bad item {ItemId}: {Reason}")]
    public static partial void BadItem(ILogger logger, string source, string itemId, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "Source {Source} is disabled; skipped")]
    public static partial void SourceSkipped(ILogger logger, string source);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Directory {Source}: {People} people, {Changed} changed, {Closed} left, {Identities} identity links")]
    public static partial void DirectorySynced(ILogger logger, string source, int people, int changed, int closed, int identities);
}
