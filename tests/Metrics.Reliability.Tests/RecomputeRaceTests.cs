using Metrics.Core.Ports;
using Metrics.Journal;
using Metrics.Testing;
using Metrics.Worker.Application;
using Metrics.Worker.Hosting;
using Metrics.Worker.Tests.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace Metrics.Reliability.Tests;

/// <summary>
/// A service cycle that stalls mid-write while an import lands, and an InfluxDB outage in the middle of a recompute:
/// neither may leave a value older than the journal or a gap, once the next cycle has run.
/// </summary>
public sealed class RecomputeRaceTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    [Fact]
    public async Task RecomputeDirty_StalledWhileAnImportRecomputes_NeverKeepsTheStaleValues()
    {
        var company = Campaign.Company(seed: 21);
        var reference = await Campaign.ReferenceAsync(influx.Url, influx.NewDatabase(), company);
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var files = company.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        var early = Path.Combine(cli.WorkDirectory, "early.jsonl");
        var late = Path.Combine(cli.WorkDirectory, "late.jsonl");
        // Every fifth event arrives later: it touches days all over the range the stalled cycle is writing.
        await File.WriteAllLinesAsync(early, company.Events.Where((_, i) => i % 5 != 0));
        await File.WriteAllLinesAsync(late, company.Events.Where((_, i) => i % 5 == 0));
        Assert.Equal(0, (await cli.RunAsync("import", "--directory", files.Directory, "--courses", files.Courses, "--events", early, "--no-recompute")).ExitCode);

        using var host = await WorkerHost.StartCliHostAsync([.. cli.Settings], CancellationToken.None);
        await host.Services.GetRequiredService<IKpiStore>().EnsureReadyAsync();
        using var stalled = new ManualResetEventSlim();
        using var resume = new ManualResetEventSlim();
        var stall = new Stall(company.First.AddDays(30), stalled, resume);
        var cycle = Task.Run(() => host.Services.GetRequiredService<KpiRecomputer>().RecomputeDirtyAsync(company.Last, stall));
        Assert.True(stalled.Wait(TimeSpan.FromMinutes(2)), "the cycle never reached the stall point");

        // Like SIGSTOP: the cycle sits mid-write while another process imports, recomputes and clears the mark.
        var import = await cli.RunAsync("import", "--events", late, "--to", $"{company.Last:yyyy-MM-dd}");
        Assert.True(import.ExitCode == 0, import.Error);
        resume.Set();
        await cycle;
        await host.Services.GetRequiredService<KpiRecomputer>().RecomputeDirtyAsync(company.Last);

        Campaign.AssertSameKpis(reference, await cli.ExportAsync(company.First, company.Last));
        using var journal = new SqliteEventJournal(cli.JournalPath);
        Assert.Null(await journal.GetDirtyAsync());
    }

    [Fact]
    public async Task Recompute_InfluxDbStopsMidWrite_RangeStaysDirtyAndNextCycleFillsIt()
    {
        await using var store = new InfluxDbProcess();
        await store.StartAsync();
        var company = Campaign.Company(seed: 22);
        var reference = await Campaign.ReferenceAsync(store.Url, store.NewDatabase(), company);
        using var cli = new CliRunner(store.Url, store.NewDatabase());
        var files = company.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        Assert.Equal(0, (await cli.RunAsync("import", "--directory", files.Directory, "--courses", files.Courses, "--events", files.Events, "--to", $"{company.Last:yyyy-MM-dd}")).ExitCode);

        using var host = await WorkerHost.StartCliHostAsync([.. cli.Settings, "--Influx:Timeout", "00:00:05"], CancellationToken.None);
        var recomputer = host.Services.GetRequiredService<KpiRecomputer>();
        var outage = new Outage(company.First.AddDays(20), store);
        await Assert.ThrowsAnyAsync<Exception>(() => recomputer.RecomputeAsync(company.First, company.Last, outage));
        using (var journal = new SqliteEventJournal(cli.JournalPath))
        {
            Assert.True((await journal.GetDirtyAsync())?.From <= recomputer.Calendar.StartOf(company.First), "the deleted range is not marked dirty");
        }

        await store.StartAsync();
        Assert.NotNull(await recomputer.RecomputeDirtyAsync(company.Last));

        Campaign.AssertSameKpis(reference, await cli.ExportAsync(company.First, company.Last));
    }

    /// <summary>Blocks the recompute's writing thread once at <paramref name="day"/>, as a stopped process would.</summary>
    private sealed class Stall(DateOnly day, ManualResetEventSlim stalled, ManualResetEventSlim resume) : IProgress<RecomputeProgress>
    {
        private int _done;

        public void Report(RecomputeProgress value)
        {
            if (value.Day >= day && Interlocked.Exchange(ref _done, 1) == 0)
            {
                stalled.Set();
                resume.Wait();
            }
        }
    }

    /// <summary>Stops the real InfluxDB once the recompute has deleted its range and written up to <paramref name="day"/>.</summary>
    private sealed class Outage(DateOnly day, InfluxDbProcess store) : IProgress<RecomputeProgress>
    {
        private int _done;

        public void Report(RecomputeProgress value)
        {
            if (value.Day >= day && Interlocked.Exchange(ref _done, 1) == 0)
            {
                store.StopAsync().GetAwaiter().GetResult();
            }
        }
    }
}
