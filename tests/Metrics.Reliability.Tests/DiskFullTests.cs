using Metrics.Core.Events;
using Metrics.Core.Ports;
using Metrics.Journal;
using Metrics.Testing;
using Metrics.Worker.Application;
using Metrics.Worker.Hosting;
using Metrics.Worker.Tests.Cli;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Metrics.Reliability.Tests;

/// <summary>A journal without room (Journal:MaxSizeMiB behaves as a full disk): the cycle stops before pulling and resumes.</summary>
public sealed class DiskFullTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    [Fact]
    public async Task IngestionCycle_JournalFull_StopsBeforePullingAndResumesWithRoom()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var stored = await FillAsync(cli.JournalPath);

        using (var full = await WorkerHost.StartCliHostAsync([.. cli.Settings, "--Journal:MaxSizeMiB", "1"], CancellationToken.None))
        {
            var refused = await Assert.ThrowsAsync<JournalUnwritableException>(
                () => full.Services.GetRequiredService<IngestionCycle>().RunAsync(new IngestionRequest(), CancellationToken.None));
            Assert.Equal("disk full", refused.Reason);
        }

        SqliteConnection.ClearAllPools();
        using var roomy = await WorkerHost.StartCliHostAsync([.. cli.Settings], CancellationToken.None);
        var result = await roomy.Services.GetRequiredService<IngestionCycle>().RunAsync(new IngestionRequest(), CancellationToken.None);

        Assert.NotNull(result.Recompute);
        Assert.Equal(stored, await roomy.Services.GetRequiredService<IEventJournal>().CountEventsAsync());
    }

    /// <summary>Appends events to a journal capped at 1 MiB until not one more fits; returns how many it holds.</summary>
    private static async Task<long> FillAsync(string path)
    {
        using var journal = new SqliteEventJournal(new JournalOptions { Path = path, MaxSizeMiB = 1 });
        var attributes = "{\"note\":\"" + new string('x', 2000) + "\"}";
        var time = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(1));
        for (var i = 0; i < 10_000; i++)
        {
            try
            {
                await journal.AppendAsync([new CanonicalEvent("gen", $"e{i}", EventType.AiUsed, time, "p@example.com", null, false, attributes)]);
            }
            catch (JournalUnwritableException)
            {
                break;
            }
        }

        var count = await journal.CountEventsAsync();
        SqliteConnection.ClearAllPools();
        return count;
    }
}
