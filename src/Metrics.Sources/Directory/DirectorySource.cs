using Metrics.Core.Ports;
using Metrics.Sources.Common;

namespace Metrics.Sources.Directory;

/// <summary>A source of the org directory and identity links rather than events.</summary>
public interface IDirectorySource
{
    string Name { get; }

    bool Enabled { get; }

    TimeSpan Interval { get; }

    Task<DirectorySyncResult> SyncAsync(IEventJournal journal, CancellationToken cancellationToken);
}

/// <summary>What a directory sync changed.</summary>
/// <param name="People">People in the snapshot.</param>
/// <param name="Changed">People whose record was opened or changed at the sync date.</param>
/// <param name="Closed">People absent from the snapshot whose open record was closed.</param>
/// <param name="Identities">Identity links upserted.</param>
/// <param name="BadItems">Rows or users that could not be used.</param>
public sealed record DirectorySyncResult(int People, int Changed, int Closed, int Identities, IReadOnlyList<BadItem> BadItems);
