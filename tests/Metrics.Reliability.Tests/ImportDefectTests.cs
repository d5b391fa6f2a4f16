using System.Text;
using Metrics.Journal;
using Metrics.Testing;
using Metrics.Testing.Golden;
using Metrics.Worker.Tests.Cli;

namespace Metrics.Reliability.Tests;

/// <summary>Issue 10's hostile-input defects, each reproduced through the real CLI against a real InfluxDB.</summary>
public sealed class ImportDefectTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    private const string Before = """{"source":"s","id":"1","type":"ai.used","time":"2026-03-03T10:00:00+01:00","person":"alice@example.com"}""";
    private const string After = """{"source":"s","id":"2","type":"ai.used","time":"2026-03-03T11:00:00+01:00","person":"dave@example.com"}""";

    [Fact]
    public async Task Import_LoneSurrogateAndBrokenBytes_RejectsThoseLinesAndLoadsTheRest()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var files = GoldenCompany.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        var events = Path.Combine(cli.WorkDirectory, "hostile.jsonl");
        using (var file = File.Create(events))
        {
            void Line(string text) => file.Write(Encoding.UTF8.GetBytes(text + "\n"));
            Line(Before);
            Line("""{"source":"s","id":"3","type":"ai.used","time":"2026-03-03T10:00:00+01:00","person":"\ud800a@x.com"}""");
            file.Write([.. Encoding.UTF8.GetBytes("""{"source":"s","id":"4","type":"ai.used","time":"2026-03-03T10:00:00+01:00","person":"b"""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("@x.com\"}\n")]);
            Line("""{"source":"s","id":"5","type":"ai.used","time":"2026-03-03T10:00:00+01:00","person":"a@x.com","person":"b@x.com"}""");
            Line("""{"source":"s","id":"6","type":"ai.used","time":"2026-03-03T10:00:00+01:00","person":"a@x.com","attributes":null}""");
            Line(After);
        }

        var result = await cli.RunAsync("import", "--directory", files.Directory, "--events", events, "--to", "2026-03-03");

        Assert.True(result.ExitCode == 2, result.Error);
        Assert.Contains("hostile.jsonl:2: rejected: not valid text", result.Error, StringComparison.Ordinal);
        Assert.Contains("hostile.jsonl:3: rejected: not valid UTF-8", result.Error, StringComparison.Ordinal);
        Assert.Contains("hostile.jsonl:4: rejected: not valid JSON", result.Error, StringComparison.Ordinal);
        Assert.Contains("hostile.jsonl:5: rejected: 'attributes' is not an object", result.Error, StringComparison.Ordinal);
        Assert.Contains("events 2 (2 new, 0 replaced, 0 unchanged, 4 rejected)", result.Output, StringComparison.Ordinal);
        var exported = await cli.ExportAsync(GoldenCompany.DayA, GoldenCompany.DayA);
        Assert.Equal(2, exported.Single(p => p.Department is null && p.Kpi == "active_ai_users" && p.Window == "1d").Value);
    }

    [Fact]
    public async Task Import_EventsOfYear1And1900_AreRejectedAndLaterImportsStillWrite()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var files = GoldenCompany.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        var events = Path.Combine(cli.WorkDirectory, "old.jsonl");
        await File.WriteAllLinesAsync(events,
        [
            """{"source":"s","id":"y1","type":"ai.used","time":"0001-01-01T00:00:00Z","person":"alice@example.com"}""",
            """{"source":"s","id":"y1900","type":"ai.used","time":"1900-06-01T00:00:00Z","person":"alice@example.com"}""",
            """{"source":"s","id":"future","type":"ai.used","time":"2999-01-01T00:00:00Z","person":"alice@example.com"}""",
        ]);

        var first = await cli.RunAsync("import", "--directory", files.Directory, "--courses", files.Courses, "--events", events, "--to", "2026-03-03");
        var second = await cli.RunAsync("import", "--events", files.Events, "--to", "2026-03-10");
        Assert.Equal(0, (await cli.RunAsync("import", "--events", files.Late, "--to", "2026-03-10")).ExitCode);

        Assert.True(first.ExitCode == 2, first.Error);
        Assert.Contains("old.jsonl:1: rejected: time 0001-01-01T00:00:00+00:00 is before the earliest accepted time 2000-01-01T00:00:00Z (Kpi:EarliestTime)", first.Error, StringComparison.Ordinal);
        Assert.Contains("old.jsonl:2: rejected: time 1900-06-01", first.Error, StringComparison.Ordinal);
        Assert.Contains("old.jsonl:3: rejected: time 2999-01-01T00:00:00+00:00 is more than 2.00:00:00 in the future (Kpi:MaxFutureSkew)", first.Error, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("recomputed 2025-", second.Output, StringComparison.Ordinal);
        ImportGoldenTests.AssertGolden(await cli.ExportAsync(GoldenCompany.DayB, GoldenCompany.DayB), GoldenCompany.DayB);
    }

    [Fact]
    public async Task Import_DirectoryFromYear1_RecomputesFromTheEarliestPlausibleDayAndKeepsWriting()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase(), extra: ["--Kpi:EarliestTime", "2025-09-01T00:00:00+02:00"]);
        var files = GoldenCompany.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        var directory = Path.Combine(cli.WorkDirectory, "year1.csv");
        await File.WriteAllTextAsync(directory, GoldenCompany.Directory.Replace(
            "alice@example.com,Engineering,executive,2025-01-01,", "alice@example.com,Engineering,executive,0001-01-01,", StringComparison.Ordinal));

        var result = await cli.RunAsync("import", "--directory", directory, "--courses", files.Courses, "--events", files.Events, "--to", "2026-03-10");
        var again = await cli.RunAsync("import", "--events", files.Late, "--to", "2026-03-10");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("recomputed 2025-09-01..2026-03-10", result.Output, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.Error);
        ImportGoldenTests.AssertGolden(await cli.ExportAsync(GoldenCompany.DayB, GoldenCompany.DayB), GoldenCompany.DayB);
    }

    [Fact]
    public async Task Import_DepartmentWithBackslashOrControlCharacter_RejectsTheRowAndRecomputeStillWrites()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var files = GoldenCompany.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        var directory = Path.Combine(cli.WorkDirectory, "dir.csv");
        await File.WriteAllTextAsync(directory, GoldenCompany.Directory + "\nzoe@example.com,R&D\\Lab,frontline,2025-01-01,\nyan@example.com,\"Lab\tB\",frontline,2025-01-01,\n");

        var result = await cli.RunAsync("import", "--directory", directory, "--courses", files.Courses, "--events", files.Events, "--to", "2026-03-10");

        Assert.True(result.ExitCode == 2, result.Error);
        Assert.Contains("dir.csv:15: rejected: department contains a backslash", result.Error, StringComparison.Ordinal);
        Assert.Contains("dir.csv:16: rejected: department contains a control character", result.Error, StringComparison.Ordinal);
        Assert.Contains("..2026-03-10:", result.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await cli.RunAsync("import", "--events", files.Late, "--to", "2026-03-10")).ExitCode);
        ImportGoldenTests.AssertGolden(await cli.ExportAsync(GoldenCompany.DayB, GoldenCompany.DayB), GoldenCompany.DayB);
        using var journal = new SqliteEventJournal(cli.JournalPath);
        Assert.Null(await journal.GetDirtyAsync());
    }

    [Fact]
    public async Task Import_RealDepartmentNamedSmallGroups_IsRejectedAndThePooledSeriesStaysTheMergedOne()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var files = GoldenCompany.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        var directory = Path.Combine(cli.WorkDirectory, "dir.csv");
        var impostors = string.Concat(Enumerable.Range(0, 13).Select(i => $"\nsg{i}@example.com,(small groups),frontline,2025-01-01,"));
        await File.WriteAllTextAsync(directory, GoldenCompany.Directory + impostors + "\n");

        var result = await cli.RunAsync("import", "--directory", directory, "--courses", files.Courses, "--events", files.Events, "--to", "2026-03-10");

        Assert.True(result.ExitCode == 2, result.Error);
        Assert.Contains("dir.csv:15: rejected: department name '(small groups)' is reserved", result.Error, StringComparison.Ordinal);
        Assert.Contains("directory 13 rows (13 rejected)", result.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await cli.RunAsync("import", "--events", files.Late, "--to", "2026-03-10")).ExitCode);
        ImportGoldenTests.AssertGolden(await cli.ExportAsync(GoldenCompany.DayB, GoldenCompany.DayB), GoldenCompany.DayB);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("R&D\\Lab")]
    public async Task Kpis_UnusableDepartment_PrintsAValidationMessageWithoutStackTrace(string department)
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());

        var result = await cli.RunAsync("kpis", "--from", "2026-03-03", "--to", "2026-03-03", "--department", department);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: --department", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", result.Error, StringComparison.Ordinal);
    }
}
