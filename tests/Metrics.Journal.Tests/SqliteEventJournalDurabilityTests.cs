using System.Diagnostics;
using Metrics.Core.Directory;
using Metrics.Core.Events;
using Microsoft.Data.Sqlite;

namespace Metrics.Journal.Tests;

public sealed class SqliteEventJournalDurabilityTests : IDisposable
{
    private readonly TempJournal _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Reopen_SameFile_EverythingIsStillThere()
    {
        var journal = _temp.Journal;
        var events = new[] { Ev.Make("a", Ev.T0), Ev.Make("b", Ev.T0.AddHours(1), EventType.ProposalSubmitted, subject: "p-1") };
        await journal.AppendAsync(events);
        await journal.ReplaceDirectoryAsync([new DirectoryRecord("ana@example.com", "Sales", Level.Frontline, new DateOnly(2026, 1, 1), null)]);
        await journal.ReplaceCoursesAsync([new Course("ai-basics", [Level.Frontline])]);
        await journal.UpsertIdentitiesAsync([new IdentityLink("jira:1", "ana@example.com")]);
        await journal.SetStateAsync("lms:checkpoint", "cursor-7");
        var mark = await journal.GetDirtyAsync();

        var reopened = _temp.Reopen();

        Assert.Equal(events, await reopened.StreamAllAsync());
        Assert.Single(await reopened.LoadDirectoryAsync());
        Assert.Equal("ai-basics", Assert.Single(await reopened.LoadCoursesAsync()).Id);
        Assert.Single(await reopened.LoadIdentitiesAsync());
        Assert.Equal("cursor-7", await reopened.GetStateAsync("lms:checkpoint"));
        Assert.Equal(mark, await reopened.GetDirtyAsync());
        Assert.Equal(new(0, 0, 2), await reopened.AppendAsync(events));
    }

    [Fact]
    public async Task SecondInstance_SameFile_SeesCommittedData()
    {
        using var second = new SqliteEventJournal(_temp.Path);

        await _temp.Journal.AppendAsync([Ev.Make("a")]);
        await second.AppendAsync([Ev.Make("b", Ev.T0.AddMinutes(1))]);

        Assert.Equal(["a", "b"], (await second.StreamAllAsync()).Select(e => e.Id));
        Assert.Equal(["a", "b"], (await _temp.Journal.StreamAllAsync()).Select(e => e.Id));
        Assert.Equal(new(0, 0, 1), await second.AppendAsync([Ev.Make("a")]));
    }

    [Fact]
    public async Task SecondInstance_WritingConcurrently_LosesNothingAndCountsNothingTwice()
    {
        using var second = new SqliteEventJournal(_temp.Path);
        var batches = Enumerable.Range(0, 20)
            .Select(b => Enumerable.Range(0, 200).Select(i => Ev.Make($"e{(b % 10 * 200) + i}", Ev.T0.AddSeconds(i))).ToList())
            .ToList();

        var results = await Task.WhenAll(batches.Select((batch, b) =>
            Task.Run(() => (b % 2 == 0 ? _temp.Journal : second).AppendAsync(batch))));

        Assert.Equal(2000, results.Sum(r => r.Inserted));
        Assert.Equal(2000, results.Sum(r => r.Unchanged));
        Assert.Equal(2000, await second.CountEventsAsync());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    public async Task AppendAsync_WriterKilledWithSigkill_KeepsEveryAcknowledgedBatchWholeAndCountsNoneTwice(int batchesBeforeKill)
    {
        _temp.Journal.Dispose();
        var acknowledged = await RunWriterAndKillAsync(_temp.Path, batchesBeforeKill);

        using var journal = new SqliteEventJournal(_temp.Path);
        var stored = await journal.CountEventsAsync();
        var ids = await journal.StreamAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue).Select(e => e.Id).ToListAsync();

        Assert.True(stored >= acknowledged * Program.BatchSize, $"{stored} stored, {acknowledged} batches acknowledged");
        Assert.Equal(0, stored % Program.BatchSize);
        Assert.Equal(stored, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Enumerable.Range(0, (int)stored).Select(i => $"e{i:D9}"), ids);
        Assert.Equal(stored / Program.BatchSize, (await journal.GetDirtyAsync())?.Generation);
    }

    [Fact]
    public void Constructor_NewFile_UsesWriteAheadLog()
    {
        using var connection = new SqliteConnection($"Data Source={_temp.Path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", command.ExecuteScalar() as string);
        SqliteConnection.ClearPool(connection);
    }

    [Fact]
    public void Constructor_MissingNestedDirectory_CreatesIt()
    {
        var path = Path.Combine(_temp.Directory, "a", "b", "journal.db");

        using var journal = new SqliteEventJournal(path);

        Assert.True(File.Exists(path));
        Assert.Equal(path, journal.FilePath);
    }

    [Fact]
    public void Constructor_FileFromNewerVersion_RefusesToOpen()
    {
        _temp.Journal.Dispose();
        using (var connection = new SqliteConnection($"Data Source={_temp.Path}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE schema_version SET version = 999;";
            command.ExecuteNonQuery();
            SqliteConnection.ClearPool(connection);
        }

        var error = Assert.Throws<InvalidOperationException>(() => new SqliteEventJournal(_temp.Path));

        Assert.Contains("999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Constructor_ExistingFile_KeepsSchemaVersionAndData()
    {
        await _temp.Journal.AppendAsync([Ev.Make("a")]);

        var reopened = _temp.Reopen();

        using var connection = new SqliteConnection($"Data Source={_temp.Path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version;";
        Assert.Equal(2L, command.ExecuteScalar());
        Assert.Equal(1, await reopened.CountEventsAsync());
        SqliteConnection.ClearPool(connection);
    }

    /// <summary>Starts this assembly as a writer process, waits for some acknowledged batches and kills it mid-stride.</summary>
    private static async Task<int> RunWriterAndKillAsync(string path, int batchesBeforeKill)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        start.ArgumentList.Add("kill-writer");
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var acknowledged = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (acknowledged < batchesBeforeKill)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
                if (line is null)
                {
                    Assert.Fail($"writer exited early: {await process.StandardError.ReadToEndAsync(timeout.Token)}");
                }

                if (line.StartsWith("acked ", StringComparison.Ordinal))
                {
                    acknowledged++;
                }
            }
        }
        finally
        {
            // SIGKILL on Unix: no finalizers, no dispose, no chance to finish the transaction in flight.
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
        }

        // Acknowledgements written before the kill but not yet read still count as accepted.
        var rest = await process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        acknowledged += rest.Split('\n').Count(l => l.StartsWith("acked ", StringComparison.Ordinal));
        return acknowledged;
    }
}
