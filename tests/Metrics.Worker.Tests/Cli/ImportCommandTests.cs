using System.Globalization;
using System.Text;
using Metrics.Testing;
using Metrics.Testing.Golden;

namespace Metrics.Worker.Tests.Cli;

public sealed class ImportCommandTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    private static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Metrics.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Metrics.sln not found above the test binaries"), relative);
    }

    [Fact]
    public async Task Import_DocsExamples_ReproduceTheGoldenKpis()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());

        var result = await cli.RunAsync("import", "--directory", RepoFile("docs/examples/directory.csv"), "--courses", RepoFile("docs/examples/courses.csv"),
            "--events", RepoFile("docs/examples/events.jsonl"), "--to", "2026-03-10");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("events 51 (50 new, 1 replaced, 0 unchanged, 0 rejected)", result.Output, StringComparison.Ordinal);
        var exported = await cli.ExportAsync(GoldenCompany.DayA, GoldenCompany.DayB);
        ImportGoldenTests.AssertGolden(exported, GoldenCompany.DayA);
        ImportGoldenTests.AssertGolden(exported, GoldenCompany.DayB);
    }

    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32")]
    [InlineData("utf-8")]
    public async Task Import_DocsExamplesWithByteOrderMark_ReadInTheirEncodingAndReproduceTheGoldenKpis(string encoding)
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        // The importer parses UTF-8 as bytes and reads a file with a UTF-16 or UTF-32 byte order mark as text.
        var events = Path.Combine(cli.WorkDirectory, "events.jsonl");
        var text = await File.ReadAllTextAsync(RepoFile("docs/examples/events.jsonl"));
        await File.WriteAllTextAsync(events, text, Encoding.GetEncoding(encoding) is UTF8Encoding ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: true) : Encoding.GetEncoding(encoding));

        var result = await cli.RunAsync("import", "--directory", RepoFile("docs/examples/directory.csv"), "--courses", RepoFile("docs/examples/courses.csv"),
            "--events", events, "--to", "2026-03-10");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("events 51 (50 new, 1 replaced, 0 unchanged, 0 rejected)", result.Output, StringComparison.Ordinal);
        var exported = await cli.ExportAsync(GoldenCompany.DayA, GoldenCompany.DayB);
        ImportGoldenTests.AssertGolden(exported, GoldenCompany.DayA);
        ImportGoldenTests.AssertGolden(exported, GoldenCompany.DayB);
    }

    [Fact]
    public async Task Import_BadLines_ExitCode2ReportsEachLineAndLoadsTheRest()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var files = GoldenCompany.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        var events = Path.Combine(cli.WorkDirectory, "mixed.jsonl");
        await File.WriteAllTextAsync(events, string.Join('\n',
            """{"source":"s","id":"1","type":"ai.used","time":"2026-03-03T10:00:00+01:00","person":"alice@example.com"}""",
            "not json",
            "",
            """{"source":"s","id":"2","type":"ai.used","time":"2026-03-03T10:00:00","person":"dave@example.com"}""",
            """{"source":"s","id":"3","type":"ai.used","time":"2026-03-03T10:00:00+01:00","person":"dave@example.com"}""",
            "{\"source\":\"" + new string('x', 70_000) + "\"}"));
        var directory = Path.Combine(cli.WorkDirectory, "dir.csv");
        await File.WriteAllTextAsync(directory, GoldenCompany.Directory + "\nalice@example.com,Sales,manager,2025-06-01,\n");

        var result = await cli.RunAsync("import", "--directory", directory, "--events", events, "--to", "2026-03-03");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("mixed.jsonl:2: rejected: not valid JSON", result.Error, StringComparison.Ordinal);
        Assert.Contains("mixed.jsonl:4: rejected: time '2026-03-03T10:00:00' is not ISO 8601 with an offset", result.Error, StringComparison.Ordinal);
        Assert.Contains("mixed.jsonl:6: rejected: line longer than 65536 characters", result.Error, StringComparison.Ordinal);
        Assert.Contains("dir.csv:15: rejected: overlaps the record of alice@example.com from 2025-01-01 (open)", result.Error, StringComparison.Ordinal);
        Assert.Contains("directory 13 rows (1 rejected)", result.Output, StringComparison.Ordinal);
        Assert.Contains("events 2 (2 new, 0 replaced, 0 unchanged, 3 rejected)", result.Output, StringComparison.Ordinal);
        var exported = await cli.ExportAsync(GoldenCompany.DayA, GoldenCompany.DayA);
        Assert.Equal(2, exported.Single(p => p.Department is null && p.Kpi == "active_ai_users" && p.Window == "1d").Value);
    }

    [Fact]
    public async Task Import_IdentityMap_CountsTheLinkedLoginsEventsForItsPersonAndRejectsBadRows()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var files = GoldenCompany.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        var events = Path.Combine(cli.WorkDirectory, "github.jsonl");
        await File.WriteAllTextAsync(events,
            """{"source":"githubcopilot","id":"dave-gh:1","type":"ai.used","time":"2026-03-03T10:00:00+01:00","person":"github:dave-gh","attributes":{"tool":"github-copilot"}}""" + "\n");
        Assert.Equal(0, (await cli.RunAsync("import", "--directory", files.Directory, "--events", events, "--to", "2026-03-03")).ExitCode);
        double ActiveOnDayA(List<ExportedPoint> points) =>
            points.SingleOrDefault(p => p.Department is null && p.Kpi == "active_ai_users" && p.Window == "1d" && p.Tool is null)?.Value ?? 0;
        Assert.Equal(0, ActiveOnDayA(await cli.ExportAsync(GoldenCompany.DayA, GoldenCompany.DayA)));
        var map = Path.Combine(cli.WorkDirectory, "map.csv");
        await File.WriteAllTextAsync(map, "identity,person\nGitHub:Dave-GH,dave@example.com\n,nobody@example.com\ngithub:dave-gh,alice@example.com\n");

        var result = await cli.RunAsync("import", "--identities", map, "--to", "2026-03-03");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("map.csv:3: rejected: empty identity or person", result.Error, StringComparison.Ordinal);
        Assert.Contains("map.csv:4: rejected: identity 'github:dave-gh' is already linked to another person", result.Error, StringComparison.Ordinal);
        Assert.Contains("identities 1 (2 rejected)", result.Output, StringComparison.Ordinal);
        Assert.Equal(1, ActiveOnDayA(await cli.ExportAsync(GoldenCompany.DayA, GoldenCompany.DayA)));
    }

    [Fact]
    public async Task Import_WrongCsvHeader_RejectsTheFileAndKeepsTheCatalog()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var files = GoldenCompany.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        Assert.Equal(0, (await cli.RunAsync("import", "--directory", files.Directory, "--courses", files.Courses, "--events", files.Events, "--to", "2026-03-03")).ExitCode);
        var wrong = Path.Combine(cli.WorkDirectory, "wrong.csv");
        await File.WriteAllTextAsync(wrong, "name,levels\nx,frontline\n");

        var result = await cli.RunAsync("import", "--courses", wrong, "--to", "2026-03-03");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("wrong.csv:1: rejected: header must be 'course,levels'", result.Error, StringComparison.Ordinal);
        var exported = await cli.ExportAsync(GoldenCompany.DayA, GoldenCompany.DayA);
        Assert.Equal(2.0 / 12, exported.Single(p => p.Department is null && p.Kpi == "training_completion_rate").Value, 12);
    }

    [Fact]
    public async Task Import_CatalogFromConfiguration_GivesTheSameCompletionRateAsTheImportedCatalog()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase(), extra:
        [
            "--Kpi:RequiredCourses:ai-basics", "executive;manager;specialist;frontline",
            "--Kpi:RequiredCourses:ai-strategy", "executive",
            "--Kpi:RequiredCourses:ai-engineering", "specialist",
        ]);
        var files = GoldenCompany.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));

        var result = await cli.RunAsync("import", "--directory", files.Directory, "--events", files.Events, "--to", "2026-03-10");

        Assert.True(result.ExitCode == 0, result.Error);
        var exported = await cli.ExportAsync(GoldenCompany.DayB, GoldenCompany.DayB);
        Assert.Equal(5.0 / 11, exported.Single(p => p.Department is null && p.Kpi == "training_completion_rate").Value, 12);
    }

    [Theory]
    [InlineData("--Kpi:RequiredCourses:ai-basics", "everyone", "Kpi:RequiredCourses:ai-basics 'everyone'")]
    [InlineData("--Kpi:TimeZone", "Mars/Olympus", "Kpi:TimeZone 'Mars/Olympus' is not a known IANA time zone")]
    [InlineData("--Kpi:MinimumGroupSize", "1", "Kpi:MinimumGroupSize must be at least 2")]
    [InlineData("--Influx:Url", "not a url", "Influx:Url")]
    public async Task Import_BadSetting_FailsNamingTheSetting(string key, string value, string message)
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase(), extra: [key, value]);
        var files = GoldenCompany.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));

        var result = await cli.RunAsync("import", "--events", files.Events);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_MissingFile_FailsWithItsName()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());

        var result = await cli.RunAsync("import", "--events", "/nonexistent/events.jsonl");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/nonexistent/events.jsonl", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_KilledMidwayThenRerun_SameKpisAsAnUninterruptedImport()
    {
        // A year of AI use by the golden company, big enough that the import is still running when it is killed.
        using var clean = new CliRunner(influx.Url, influx.NewDatabase());
        using var crashed = new CliRunner(influx.Url, influx.NewDatabase());
        var files = GoldenCompany.WriteFiles(Path.Combine(clean.WorkDirectory, "in"));
        var big = Path.Combine(clean.WorkDirectory, "big.jsonl");
        var people = new[] { "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "judy", "mallory", "niaj" };
        var sb = new StringBuilder();
        var start = new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.FromHours(1));
        for (var i = 0; i < 150_000; i++)
        {
            var time = start.AddMinutes(i * 3.3).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $$"""{"source":"lowcode","id":"run-{{i}}","type":"ai.used","time":"{{time}}","person":"{{people[i * 7 % people.Length]}}@example.com"}""").Append('\n');
        }

        await File.WriteAllTextAsync(big, sb.ToString());
        string[] import = ["import", "--directory", files.Directory, "--courses", files.Courses, "--events", big, "--to", "2026-03-10"];

        var cleanRun = await clean.RunAsync(import);
        Assert.True(cleanRun.ExitCode == 0, cleanRun.Error);

        using (var first = new MetricsProcess(crashed.WorkDirectory, [.. import, .. crashed.Settings]))
        {
            Assert.True(await first.WaitForErrorTextAsync("events: ", TimeSpan.FromSeconds(60)), first.Error);
            first.Kill();
        }

        var rerun = await crashed.RunAsync(import);
        Assert.True(rerun.ExitCode == 0, rerun.Error);

        Assert.Equal(await clean.ExportAsync(new DateOnly(2025, 3, 1), new DateOnly(2026, 3, 10)), await crashed.ExportAsync(new DateOnly(2025, 3, 1), new DateOnly(2026, 3, 10)));
    }
}
