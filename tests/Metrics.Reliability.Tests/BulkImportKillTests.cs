using System.Globalization;
using System.Text;
using Metrics.Testing;
using Metrics.Worker.Application;
using Metrics.Worker.Tests.Cli;
using Microsoft.Data.Sqlite;

namespace Metrics.Reliability.Tests;

/// <summary>
/// kill -9 of the real executable while it imports a file large enough for the journal's bulk path (staged in a
/// temporary table, merged in one transaction): the journal holds all of the import or none of it, and the import run
/// again stores exactly what an import that was never killed stores.
/// </summary>
public sealed class BulkImportKillTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public async Task Import_BulkPathKilledAtARandomMoment_AllOrNothingAndReimportStoresTheSame(int seed)
    {
        using var reference = new CliRunner(influx.Url, influx.NewDatabase());
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var before = Path.Combine(cli.WorkDirectory, "before.jsonl");
        var events = Path.Combine(cli.WorkDirectory, "events.jsonl");
        WriteEvents(before, 0, 2_000);
        WriteEvents(events, 1_000, CanonicalImporter.BatchSize * 5 / 2);

        foreach (var runner in new[] { reference, cli })
        {
            var first = await runner.RunAsync("import", "--events", before, "--no-recompute");
            Assert.True(first.ExitCode == 0, first.Error);
        }

        var untouched = Dump(cli.JournalPath);
        var full = await reference.RunAsync("import", "--events", events, "--no-recompute");
        Assert.True(full.ExitCode == 0, full.Error);
        var complete = Dump(reference.JournalPath);

        using (var process = new MetricsProcess(cli.WorkDirectory, ["import", "--events", events, "--no-recompute", .. cli.Settings]))
        {
            // From the first batch taken (staging) to past the merge's commit.
            Assert.True(await process.WaitForErrorTextAsync("events: ", Patience), process.Error);
            await Task.Delay(new Random(seed).Next(0, 3000));
            process.Kill();
            await process.WaitForExitAsync(Patience);
        }

        var afterKill = Dump(cli.JournalPath);
        Assert.True(afterKill.SequenceEqual(untouched) || afterKill.SequenceEqual(complete), "the journal holds part of a killed bulk import");

        var again = await cli.RunAsync("import", "--events", events, "--no-recompute");
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal(complete, Dump(cli.JournalPath));
    }

    /// <summary>
    /// Lines in random time order, ids repeating (the later line wins), one in twenty a retraction of another id, so the
    /// merge's full pass runs, not only its insert of new keys.
    /// </summary>
    private static void WriteEvents(string path, int firstId, int count)
    {
        var random = new Random(firstId + count);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        for (var i = 0; i < count; i++)
        {
            var id = firstId + random.Next(count * 9 / 10);
            var time = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(1)).AddMinutes(random.Next(60 * 24 * 90))
                .ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
            var person = string.Create(CultureInfo.InvariantCulture, $"p{random.Next(500)}@example.com");
            var line = random.Next(20) == 0
                ? string.Create(CultureInfo.InvariantCulture, $$$"""{"source":"lms","id":"e{{{id}}}","type":"event.retracted","time":"{{{time}}}","person":"{{{person}}}","attributes":{"target":"e{{{random.Next(count)}}}"}}""")
                : string.Create(CultureInfo.InvariantCulture, $$$"""{"source":"lms","id":"e{{{id}}}","type":"ai.used","time":"{{{time}}}","person":"{{{person}}}","attributes":{"tool":"copilot"}}""");
            writer.WriteLine(line);
        }
    }

    private static List<string> Dump(string journal)
    {
        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={journal};Pooling=False");
        connection.Open();
        var rows = new List<string>();
        foreach (var sql in new[]
        {
            "SELECT time_ticks, source, id, type, offset_minutes, person, subject, ai_assisted, attributes, retracted FROM events ORDER BY time_ticks, source, id",
            "SELECT person, first_ticks FROM person_first_event ORDER BY person",
            "SELECT from_ticks FROM dirty",
        })
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
            }
        }

        return rows;
    }
}
