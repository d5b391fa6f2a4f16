using Metrics.Core.Directory;

namespace Metrics.Sources.Directory;

/// <summary>One person as the directory provider sees them today.</summary>
public sealed record SnapshotPerson(string Person, string Department, Level Level, IReadOnlyList<string> Identities);

/// <summary>The records to write for a snapshot, per changed person (their whole history), and what changed.</summary>
public sealed record DirectoryDiff(IReadOnlyList<DirectoryRecord> Records, int Changed, int Closed);

/// <summary>
/// Turns a snapshot into effective-dated records: an unchanged person is left alone; a changed one has the open record
/// closed at the sync date and a new one opened from it; a new person is opened at the sync date; a missing one is
/// closed at it. Closed history is never rewritten. The very first snapshot (an empty directory) is opened from
/// <c>firstSnapshotFrom</c> instead: a provider only knows today's org, and without back-dating every event pulled
/// from before the first sync would stay unresolved.
/// </summary>
public static class DirectorySnapshot
{
    public static DirectoryDiff Diff(IReadOnlyList<DirectoryRecord> existing, IReadOnlyList<SnapshotPerson> snapshot, DateOnly syncDate, bool closeMissing, DateOnly? firstSnapshotFrom = null)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(snapshot);
        var openFrom = existing.Count == 0 && firstSnapshotFrom is { } first && first < syncDate ? first : syncDate;
        var byPerson = existing.GroupBy(r => r.Person, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.From).ToList(), StringComparer.Ordinal);
        var output = new List<DirectoryRecord>();
        int changed = 0, closed = 0;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var person in snapshot)
        {
            if (!seen.Add(person.Person))
            {
                continue;
            }

            var history = byPerson.GetValueOrDefault(person.Person) ?? [];
            var current = history.LastOrDefault(r => r.Covers(syncDate) || r.From > syncDate);
            if (current is not null && current.To is null && current.Department == person.Department && current.Level == person.Level)
            {
                continue;
            }

            // Keep what ended before the sync date; cut or drop whatever reaches into it, then open today's record.
            var kept = new List<DirectoryRecord>();
            foreach (var r in history)
            {
                if (r.To is { } end && end <= syncDate)
                {
                    kept.Add(r);
                }
                else if (r.From < syncDate)
                {
                    kept.Add(r with { To = syncDate });
                }
            }

            kept.Add(new DirectoryRecord(person.Person, person.Department, person.Level, openFrom, null));
            output.AddRange(kept);
            changed++;
        }

        if (closeMissing)
        {
            foreach (var (person, history) in byPerson)
            {
                if (seen.Contains(person) || !history.Any(r => r.To is null || r.To > syncDate))
                {
                    continue;
                }

                var kept = new List<DirectoryRecord>();
                foreach (var r in history)
                {
                    if (r.To is { } end && end <= syncDate)
                    {
                        kept.Add(r);
                    }
                    else if (r.From < syncDate)
                    {
                        kept.Add(r with { To = syncDate });
                    }
                    else if (r.From == syncDate)
                    {
                        // Opened and gone on the same day: keep that one day rather than lose the person's history.
                        kept.Add(r with { To = syncDate.AddDays(1) });
                    }
                }

                output.AddRange(kept);
                closed++;
            }
        }

        return new DirectoryDiff(output, changed, closed);
    }
}
