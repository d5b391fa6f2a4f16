using System.Text;
using Metrics.Core.Directory;
using Metrics.Core.Events;
using Microsoft.Data.Sqlite;

namespace Metrics.Journal.Tests;

public sealed class PseudonymisingEventJournalTests
{
    private const string Key = "k3y-for-tests-0123456789abcdefghijklmnop";

    private static readonly PersonPseudonyms Pseudonyms = new(Key);

    [Fact]
    public async Task Writes_WithKey_StoreOnlyPseudonymsThatStillJoin()
    {
        using var temp = new TempJournal();
        using var journal = new PseudonymisingEventJournal(temp.Journal, Pseudonyms);

        await journal.ReplaceDirectoryAsync([new DirectoryRecord("ana@example.com", "Ops", Level.Manager, new DateOnly(2026, 1, 1), null)]);
        await journal.UpsertIdentitiesAsync([new IdentityLink("ana.alias@example.com", "ana@example.com")]);
        await journal.AppendAsync([Ev.Make("e1", person: "ana.alias@example.com"), Ev.Make("e2", person: "ana@example.com")]);

        var ana = Pseudonyms.Protect("ana@example.com");
        Assert.Equal(ana, Assert.Single(await journal.LoadDirectoryAsync()).Person);
        Assert.Equal(new IdentityLink(Pseudonyms.Protect("ana.alias@example.com"), ana), Assert.Single(await journal.LoadIdentitiesAsync()));
        var events = await journal.StreamAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue).ToListAsync();
        Assert.Equal([Pseudonyms.Protect("ana.alias@example.com"), ana], events.OrderBy(e => e.Id, StringComparer.Ordinal).Select(e => e.Person));
        // The directory's person and an event's person resolve through the same pseudonym, as they did in the clear.
        var directory = OrgDirectory.Build(await journal.LoadDirectoryAsync(), await journal.LoadIdentitiesAsync());
        Assert.True(directory.PersonId(ana) >= 0);
        Assert.Equal(directory.PersonId(ana), directory.PersonId(events[0].Person));

        SqliteConnection.ClearAllPools();
        var bytes = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(temp.Path)) + ReadWal(temp.Path);
        Assert.DoesNotContain("example.com", bytes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendManyAsync_WithKey_StoresEveryBatchPseudonymised()
    {
        using var temp = new TempJournal();
        using var journal = new PseudonymisingEventJournal(temp.Journal, Pseudonyms);

        var result = await journal.AppendManyAsync(new[]
        {
            new[] { Ev.Make("e1", person: "ana@example.com") },
            new[] { Ev.Make("e2", person: "bo@example.com") },
        }.ToAsyncEnumerable());

        Assert.Equal(2, result.Inserted);
        var persons = (await journal.StreamAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue).ToListAsync()).Select(e => e.Person).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { Pseudonyms.Protect("ana@example.com"), Pseudonyms.Protect("bo@example.com") }.Order(StringComparer.Ordinal), persons);
    }

    [Fact]
    public async Task FirstUse_KeyOnAJournalWithClearKeys_Refused()
    {
        using var temp = new TempJournal();
        await temp.Journal.AppendAsync([Ev.Make("e1")]);
        using var journal = new PseudonymisingEventJournal(temp.Journal, Pseudonyms);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => journal.AppendAsync([Ev.Make("e2")]));

        Assert.Contains("already holds clear person keys", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstUse_OtherKeyOrNoKeyOnAPseudonymisedJournal_Refused()
    {
        using var temp = new TempJournal();
        using (var keyed = new PseudonymisingEventJournal(temp.Journal, Pseudonyms))
        {
            await keyed.AppendAsync([Ev.Make("e1")]);
        }

        using var other = new PseudonymisingEventJournal(temp.Journal, new PersonPseudonyms(Key + "-other"));
        using var none = new PseudonymisingEventJournal(temp.Journal, PersonPseudonyms.None);
        using var same = new PseudonymisingEventJournal(temp.Journal, new PersonPseudonyms(Key));

        Assert.Contains("not the key", (await Assert.ThrowsAsync<InvalidOperationException>(() => other.LoadDirectoryAsync())).Message, StringComparison.Ordinal);
        Assert.Contains("set the Journal:PseudonymKey", (await Assert.ThrowsAsync<InvalidOperationException>(() => none.AppendAsync([Ev.Make("e2")]))).Message, StringComparison.Ordinal);
        await same.AppendAsync([Ev.Make("e2")]);
        Assert.Equal(2, await same.CountEventsAsync());
    }

    private static string ReadWal(string path) =>
        File.Exists(path + "-wal") ? Encoding.UTF8.GetString(File.ReadAllBytes(path + "-wal")) : string.Empty;
}
