using Metrics.Core.Events;
using Metrics.Core.Ports;
using Microsoft.Data.Sqlite;

namespace Metrics.Journal.Tests;

/// <summary>A journal that runs out of room (Journal:MaxSizeMiB behaves as a full disk): refuses cleanly, loses nothing, resumes.</summary>
public sealed class SqliteEventJournalFullDiskTests : IDisposable
{
    private readonly TempJournal _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task AppendAsync_DiskFull_RefusesTheWholeBatchAndResumesWithRoom()
    {
        _temp.Journal.Dispose();
        SqliteConnection.ClearAllPools();
        var capped = new SqliteEventJournal(new JournalOptions { Path = _temp.Path, MaxSizeMiB = 1 });
        var stored = 0;
        CanonicalEvent[] refused = [];
        var padding = "{\"note\":\"" + new string('x', 2000) + "\"}";
        for (var batch = 0; batch < 200 && refused.Length == 0; batch++)
        {
            var events = Enumerable.Range(0, 50).Select(i => Ev.Make($"b{batch}-{i}", Ev.T0.AddMinutes(batch), attributes: padding)).ToArray();
            try
            {
                stored += (await capped.AppendAsync(events)).Inserted;
            }
            catch (JournalUnwritableException ex)
            {
                Assert.Equal("disk full", ex.Reason);
                refused = events;
            }
        }

        Assert.NotEmpty(refused);

        // Then single events fill what room is left, until not even one fits: the probe must then refuse too.
        for (var i = 0; i < 1000; i++)
        {
            try
            {
                stored += (await capped.AppendAsync([Ev.Make($"one-{i}", Ev.T0, attributes: padding)])).Inserted;
            }
            catch (JournalUnwritableException)
            {
                break;
            }
        }

        var probe = await Assert.ThrowsAsync<JournalUnwritableException>(() => capped.CheckWritableAsync());
        Assert.Equal("disk full", probe.Reason);
        Assert.Equal(stored, await capped.CountEventsAsync());
        capped.Dispose();
        SqliteConnection.ClearAllPools();

        using var roomy = new SqliteEventJournal(_temp.Path);
        await roomy.CheckWritableAsync();
        Assert.Equal(refused.Length, (await roomy.AppendAsync(refused)).Inserted);
        Assert.Equal(stored + refused.Length, await roomy.CountEventsAsync());
    }
}
