using System.Globalization;
using System.Text;
using CsCheck;
using Metrics.Core.Directory;
using Metrics.Core.Kpis;
using Metrics.Journal;
using Metrics.Worker.Application;
using Microsoft.Extensions.Options;

namespace Metrics.Reliability.Tests;

/// <summary>
/// Property-based hostile input (CsCheck): 10,000 generated event lines and 10,000 directory rows per run, valid ones
/// mixed with mutations. Each hostile line must be rejected alone and change nothing: the KPIs of the mixed import
/// equal those of importing the valid lines only.
/// </summary>
public sealed class GeneratedInputTests : IDisposable
{
    private const int Lines = 10_000;
    private static readonly DateOnly First = new(2026, 1, 1);
    private static readonly KpiOptions Options = new() { TimeZone = "Europe/Berlin", MinimumGroupSize = 3 };
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metrics-generated-" + Guid.NewGuid().ToString("N"));

    public GeneratedInputTests() => Directory.CreateDirectory(_directory);

    /// <summary>A line and whether a correct importer must accept it.</summary>
    private sealed record Line(string Text, bool Valid);

    private static readonly Gen<string> Person = Gen.Int[0, 399].Select(p => $"p{p:D5}@example.com");

    private static readonly Gen<DateTimeOffset> Time = Gen.Int[0, 89 * 24 * 60].Select(m =>
        new DateTimeOffset(First.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(1)).AddMinutes(m));

    /// <summary>Mutations that no correct importer may accept; each is one of the campaign's classes.</summary>
    private static readonly string[] EventMutations =
    [
        "surrogate", "bytes", "duplicate-key", "null-attributes", "year1", "year1900", "future", "truncated", "no-offset", "control",
    ];

    private static readonly Gen<Line[]> EventLines =
        Gen.Select(Gen.Int[0, 99], Gen.Int, Person, Time, Gen.Int[0, EventMutations.Length - 1]).Array[Lines]
            .Select(draws => draws.Select((d, i) => EventLine(i + 1, d.Item1, d.Item2, d.Item3, d.Item4, d.Item5)).ToArray());

    private static Line EventLine(int index, int roll, int seed, string person, DateTimeOffset time, int mutation)
    {
        var valid = SyntheticCompany.Event(new Random(seed), index, time, person);
        if (roll >= 30)
        {
            return new Line(valid, true);
        }

        return EventMutations[mutation] switch
        {
            "surrogate" => new Line(valid.Replace("@example.com", "\\ud800@example.com", StringComparison.Ordinal), false),
            "bytes" => new Line(valid.Replace("@example.com", "\u00ff\u00fe@example.com", StringComparison.Ordinal), false),
            "duplicate-key" => new Line(valid[..^1] + ",\"person\":\"x@example.com\"}", false),
            "null-attributes" => new Line(valid[..valid.IndexOf(",\"attributes\"", StringComparison.Ordinal)] + ",\"attributes\":null}", false),
            "year1" => new Line(Retime(valid, "0001-01-01T00:00:00Z"), false),
            "year1900" => new Line(Retime(valid, "1900-01-01T00:00:00+01:00"), false),
            "future" => new Line(Retime(valid, "2999-01-01T00:00:00Z"), false),
            "truncated" => new Line(valid[..(valid.Length / 2)], false),
            "no-offset" => new Line(Retime(valid, time.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)), false),
            _ => new Line(valid.Replace("\"source\":\"gen\"", "\"source\":\"gen\",\"source\":\"\u0001\"", StringComparison.Ordinal), false),
        };
    }

    private static string Retime(string line, string time) =>
        System.Text.RegularExpressions.Regex.Replace(line, "\"time\":\"[^\"]*\"", $"\"time\":\"{time}\"");

    private static readonly string[] Departments = ["Engineering", "Sales", "Ops", "Legal", "Marketing", "Data & Analytics", "R&D (Süd)", "Sales, East"];

    private static readonly string[] DirectoryMutations =
    [
        "backslash", "control", "reserved", "bad-level", "bad-date", "to-before-from", "fields", "quote", "empty-department", "long",
    ];

    private static readonly Gen<Line[]> DirectoryRows =
        Gen.Select(Gen.Int[0, 99], Gen.Int[0, Departments.Length - 1], Gen.Int[0, 3], Gen.Int[0, 400], Gen.Int[0, DirectoryMutations.Length - 1]).Array[Lines]
            .Select(draws => draws.Select((d, i) => DirectoryRow(i + 1, d.Item1, d.Item2, d.Item3, d.Item4, d.Item5)).ToArray());

    private static Line DirectoryRow(int index, int roll, int department, int level, int days, int mutation)
    {
        var person = $"d{index:D6}@example.com";
        var levelName = Levels.Name((Level)level);
        var from = new DateOnly(2025, 1, 1).AddDays(days);
        var name = Departments[department];
        var valid = $"{person},{Csv.Escape(name)},{levelName},{from:yyyy-MM-dd},";
        if (roll >= 30)
        {
            return new Line(valid, true);
        }

        return DirectoryMutations[mutation] switch
        {
            "backslash" => new Line($"{person},R&D\\{name},{levelName},{from:yyyy-MM-dd},", false),
            "control" => new Line($"{person},\"{name}\tB\",{levelName},{from:yyyy-MM-dd},", false),
            "reserved" => new Line($"{person},(small groups),{levelName},{from:yyyy-MM-dd},", false),
            "bad-level" => new Line($"{person},{Csv.Escape(name)},boss,{from:yyyy-MM-dd},", false),
            "bad-date" => new Line($"{person},{Csv.Escape(name)},{levelName},{from:dd.MM.yyyy},", false),
            "to-before-from" => new Line($"{valid}{from.AddDays(-1):yyyy-MM-dd}", false),
            "fields" => new Line(valid + ",extra", false),
            "quote" => new Line($"{person},\"{name},{levelName},{from:yyyy-MM-dd},", false),
            "empty-department" => new Line($"{person}, ,{levelName},{from:yyyy-MM-dd},", false),
            _ => new Line($"{person},{new string('x', 600)},{levelName},{from:yyyy-MM-dd},", false),
        };
    }

    [Fact]
    public void Import_TenThousandGeneratedLinesAndRows_HostileOnesRejectedAloneAndKpisEqualTheCleanImport()
    {
        Gen.Select(EventLines, DirectoryRows).Sample((eventLines, directoryRows) => Check(eventLines, directoryRows), iter: 2, threads: 1);
    }

    private void Check(Line[] eventLines, Line[] directoryRows)
    {
        var run = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(run);
        var mixed = Import(run, "mixed", eventLines, directoryRows);
        var clean = Import(run, "clean", [.. eventLines.Where(l => l.Valid)], [.. directoryRows.Where(r => r.Valid)]);

        Assert.Equal(eventLines.Count(l => !l.Valid), mixed.Report.EventsRejected);
        Assert.Equal(directoryRows.Count(l => !l.Valid), mixed.Report.DirectoryRejected);
        Assert.Equal(0, clean.Report.Rejected);
        Assert.Equal(clean.Report.EventsInserted, mixed.Report.EventsInserted);
        Assert.Equal(clean.Kpis, mixed.Kpis);
        Assert.NotEmpty(clean.Kpis);
    }

    private static (ImportReport Report, List<KpiPoint> Kpis) Import(string run, string name, Line[] events, Line[] rows)
    {
        var eventsPath = Path.Combine(run, name + ".jsonl");
        var directoryPath = Path.Combine(run, name + ".csv");
        // Latin-1 turns the "bytes" mutation's characters into bytes that are not UTF-8; everything else is ASCII or UTF-8.
        using (var file = File.Create(eventsPath))
        {
            foreach (var line in events)
            {
                var bytes = line.Text.Contains('\u00ff', StringComparison.Ordinal) ? Encoding.Latin1.GetBytes(line.Text) : Encoding.UTF8.GetBytes(line.Text);
                file.Write(bytes);
                file.WriteByte((byte)'\n');
            }
        }

        File.WriteAllText(directoryPath, DirectoryCsvParser.DirectoryHeader + "\n" + string.Join('\n', rows.Select(r => r.Text)) + "\n");
        using var journal = new SqliteEventJournal(Path.Combine(run, name + ".db"));
        var importer = new CanonicalImporter(journal, Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System);
        var report = importer.ImportAsync(eventsPath, directoryPath, null, _ => { }).GetAwaiter().GetResult();

        var engine = new KpiEngine(Options);
        var last = First.AddDays(89);
        var (full, end) = engine.StreamBounds(First, last);
        var directory = OrgDirectory.Build(journal.LoadDirectoryAsync().GetAwaiter().GetResult(), journal.LoadIdentitiesAsync().GetAwaiter().GetResult());
        var kpis = engine.Compute(journal.StreamAsync(full, end).ToBlockingEnumerable(), directory, new CourseCatalog([]), First, last).ToList();
        return (report, kpis);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp dir left behind is harmless.
        }
    }
}
