using Metrics.Journal;
using Metrics.Testing;
using Metrics.Worker.Tests.Cli;

namespace Metrics.Reliability.Tests;

/// <summary>kill -9 of the real executable at seeded random moments of import and recompute; the next run repairs.</summary>
public sealed class KillTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Recompute_KilledAtARandomMoment_NextCycleRestoresEveryValue(int seed)
    {
        var company = Campaign.Company();
        var reference = await Campaign.ReferenceAsync(influx.Url, influx.NewDatabase(), company);
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var files = company.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        Assert.Equal(0, (await cli.RunAsync("import", "--directory", files.Directory, "--courses", files.Courses, "--events", files.Events, "--to", $"{company.Last:yyyy-MM-dd}")).ExitCode);

        bool finished;
        using (var process = new MetricsProcess(cli.WorkDirectory, ["recompute", "--from", $"{company.First:yyyy-MM-dd}", "--to", $"{company.Last:yyyy-MM-dd}", .. cli.Settings]))
        {
            Assert.True(await process.WaitForErrorTextAsync("recompute:", Patience), process.Error);
            await Task.Delay(new Random(seed).Next(0, 800));
            process.Kill();
            await process.WaitForExitAsync(Patience);
            // The last progress line comes after the last write: killed later, the range is complete either way.
            finished = process.Error.Contains($"({Days(company)}/{Days(company)} days", StringComparison.Ordinal);
        }

        // As the next service cycle would: a write the dead process had already sent is still applied by InfluxDB, and
        // InfluxDB 1.x can drop points written while its DELETE of the same series runs (see docs/reliability.md).
        await Task.Delay(TimeSpan.FromSeconds(2));

        // The range was claimed before its delete: whatever the moment, the journal still knows it is owed.
        using (var journal = new SqliteEventJournal(cli.JournalPath))
        {
            Assert.True(finished || await journal.GetDirtyAsync() is not null, "killed mid-recompute, yet nothing is marked dirty");
        }

        var repair = await cli.RunAsync("sync", "--once");
        Assert.True(repair.ExitCode == 0, repair.Error);
        Campaign.AssertSameKpis(reference, await cli.ExportAsync(company.First, company.Last));
    }

    private static int Days(SyntheticCompany company) => company.Last.DayNumber - company.First.DayNumber + 1;

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task Import_KilledAtARandomMoment_ReimportGivesTheFaultFreeKpis(int seed)
    {
        var company = Campaign.Company();
        var reference = await Campaign.ReferenceAsync(influx.Url, influx.NewDatabase(), company);
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var files = company.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        string[] import = ["import", "--directory", files.Directory, "--courses", files.Courses, "--events", files.Events, "--to", $"{company.Last:yyyy-MM-dd}"];

        using (var process = new MetricsProcess(cli.WorkDirectory, [.. import, .. cli.Settings]))
        {
            // From start-up to the end of the recompute: the kill lands in loading or in writing.
            await Task.Delay(new Random(seed).Next(300, 4000));
            process.Kill();
        }

        var again = await cli.RunAsync(import);
        Assert.True(again.ExitCode == 0, again.Error);
        Campaign.AssertSameKpis(reference, await cli.ExportAsync(company.First, company.Last));
    }
}
