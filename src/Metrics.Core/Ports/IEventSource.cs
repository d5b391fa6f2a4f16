using Metrics.Core.Events;

namespace Metrics.Core.Ports;

/// <summary>
/// A pulled source of canonical events. A pull yields pages in the server's order; the sync service stores each page
/// and only then advances the durable checkpoint to the page's <see cref="SourcePage.Checkpoint"/>.
/// </summary>
public interface IEventSource
{
    /// <summary>The source name: the <c>source</c> of its events, its checkpoint key and the <c>--source</c> argument.</summary>
    string Name { get; }

    bool Enabled { get; }

    TimeSpan Interval { get; }

    /// <summary>
    /// Pulls everything the server stored or updated in the window: from the checkpoint minus the overlap (or the initial
    /// lookback when there is none), unless <paramref name="window"/> gives explicit backfill bounds.
    /// </summary>
    IAsyncEnumerable<SourcePage> PullAsync(string? checkpoint, PullWindow window, CancellationToken cancellationToken);
}

/// <summary>Explicit bounds of a backfill; both null for an incremental pull.</summary>
public readonly record struct PullWindow(DateTimeOffset? From, DateTimeOffset? To)
{
    public static PullWindow Incremental => default;

    public bool IsBackfill => From is not null || To is not null;
}

/// <summary>
/// One page as mapped: accepted events, items that could not be used (with their source id and why), items that were
/// understood but are not relevant (counted by reason), and the checkpoint to store once the events are stored.
/// </summary>
public sealed record SourcePage(
    IReadOnlyList<CanonicalEvent> Events,
    IReadOnlyList<BadItem> BadItems,
    IReadOnlyDictionary<string, int> Ignored,
    string? Checkpoint)
{
    /// <summary>Raw items read from the server on this page (for progress and rate).</summary>
    public int ItemCount { get; init; }

    /// <summary>Links the vendor revealed between its identity and an e-mail (a Jira account whose e-mail is visible),
    /// stored before the page's events so one account stays one person whether or not its e-mail shows.</summary>
    public IReadOnlyList<Metrics.Core.Directory.IdentityLink> Links { get; init; } = [];
}

/// <summary>An item that was not usable: malformed, unknown verb, missing identity, absurd time, ...</summary>
/// <param name="Source">The source name.</param>
/// <param name="ItemId">The item's id in the source, or a page reference when the whole page was refused.</param>
/// <param name="Reason">Why; never contains person identifiers.</param>
public sealed record BadItem(string Source, string ItemId, string Reason);

/// <summary>A page the source could not read (HTTP error after retries, malformed JSON, oversized). Ends that source's pull.</summary>
public sealed class SourcePageException : Exception
{
    public SourcePageException()
    {
    }

    public SourcePageException(string message)
        : base(message)
    {
    }

    public SourcePageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
