using Metrics.Core.Ports;
using Metrics.Sources.Common;

namespace Metrics.Sources.Sync;

/// <summary>What one sync did, per source.</summary>
public sealed record SyncReport(IReadOnlyList<SourceSyncResult> Sources)
{
    public bool Succeeded => Sources.All(s => s.Succeeded);

    public long Events => Sources.Sum(s => (long)s.EventsStored);

    public long BadItems => Sources.Sum(s => s.BadItemCount);
}

/// <summary>The outcome for one source. <see cref="Error"/> is set when the source stopped early; what it stored before stays stored.</summary>
public sealed class SourceSyncResult(string source)
{
    /// <summary>At most this many bad items are kept with their ids; the count covers all of them.</summary>
    public const int MaxBadItemSamples = 200;

    private readonly List<BadItem> _badItems = [];
    private readonly Dictionary<string, int> _ignored = new(StringComparer.Ordinal);

    public string Source { get; } = source;

    public bool Skipped { get; set; }

    public bool Succeeded => Error is null;

    public string? Error { get; set; }

    public int Pages { get; set; }

    public int FailedPages { get; set; }

    public long Items { get; set; }

    public int Inserted { get; set; }

    public int Replaced { get; set; }

    public int Unchanged { get; set; }

    public int EventsStored => Inserted + Replaced + Unchanged;

    /// <summary>Stored events whose person is neither a directory key nor a linked identity yet.</summary>
    public int Unresolved { get; set; }

    public int BadItemCount { get; private set; }

    public IReadOnlyList<BadItem> BadItems => _badItems;

    public IReadOnlyDictionary<string, int> Ignored => _ignored;

    public string? Checkpoint { get; set; }

    public TimeSpan Duration { get; set; }

    public void AddBad(BadItem item)
    {
        BadItemCount++;
        if (_badItems.Count < MaxBadItemSamples)
        {
            _badItems.Add(item);
        }
    }

    public void AddIgnored(IReadOnlyDictionary<string, int> ignored)
    {
        foreach (var (reason, count) in ignored)
        {
            _ignored[reason] = _ignored.GetValueOrDefault(reason) + count;
        }
    }
}

/// <summary>Progress of a running sync: pages and events so far and the rate.</summary>
public readonly record struct SyncProgress(string Source, int Pages, long Items, long Events, double EventsPerSecond);

/// <summary>A source's name, whether it is enabled, and its configured pull interval.</summary>
public readonly record struct SourceSchedule(string Name, bool Enabled, TimeSpan Interval);
