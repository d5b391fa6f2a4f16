using Metrics.Core.Events;
using Metrics.Journal;

namespace Metrics.Journal.Tests;

/// <summary>A journal on a real SQLite file in a directory of its own, deleted with it.</summary>
public sealed class TempJournal : IDisposable
{
    public TempJournal()
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "metrics-journal-tests", Guid.NewGuid().ToString("N"));
        Path = System.IO.Path.Combine(Directory, "journal.db");
        Journal = new SqliteEventJournal(Path);
    }

    public string Directory { get; }

    public string Path { get; }

    public SqliteEventJournal Journal { get; private set; }

    /// <summary>Closes the journal and opens the same file again, as a restarted process would.</summary>
    public SqliteEventJournal Reopen()
    {
        Journal.Dispose();
        Journal = new SqliteEventJournal(Path);
        return Journal;
    }

    public void Dispose()
    {
        Journal.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Builds canonical events with the fields a test cares about and plausible defaults for the rest.</summary>
public static class Ev
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1));

    public static CanonicalEvent Make(
        string id,
        DateTimeOffset? time = null,
        EventType type = EventType.AiUsed,
        string source = "lms",
        string person = "ana@example.com",
        string? subject = null,
        bool aiAssisted = false,
        string? attributes = null) =>
        new(source, id, type, time ?? T0, person, subject ?? DefaultSubject(type), aiAssisted, attributes ?? "{}");

    public static CanonicalEvent Retraction(string id, string target, DateTimeOffset? time = null, string source = "lms") =>
        Make(id, time, EventType.EventRetracted, source, subject: target, attributes: $$"""{"target":"{{target}}"}""");

    public static async Task<List<CanonicalEvent>> StreamAllAsync(this SqliteEventJournal journal) =>
        await journal.StreamAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue).ToListAsync();

    private static string? DefaultSubject(EventType type) => EventTypes.SubjectAttribute(type) is null ? null : "x";
}
