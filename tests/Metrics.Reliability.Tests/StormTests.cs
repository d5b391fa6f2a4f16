using System.Globalization;
using System.Text.RegularExpressions;
using Metrics.Core.Events;
using Metrics.Journal;
using Metrics.Simulator;
using Metrics.Simulator.Hosting;
using Metrics.Testing;
using Metrics.Worker.Tests.Cli;
using Microsoft.Data.Sqlite;

namespace Metrics.Reliability.Tests;

/// <summary>
/// The simulator's vendors under a heavy storm (half the requests 429, every fifth 503, slow answers past the attempt
/// timeout, truncated pages): <c>sync --once</c> is repeated, as the service's cycle would, until every source has
/// completed once; the journal and the KPIs must then equal a fault-free sync of the same simulated company.
/// </summary>
public sealed partial class StormTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>, IDisposable
{
    private const int MaxSyncs = 40;

    private static readonly string[] SourcePrefixes =
        ["Sources:Lms", "Sources:LowCode", "Sources:Ticketing", "Sources:Directory", "Sources:M365Copilot", "Sources:GitHubCopilot"];

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public async Task SyncOnce_HeavyStormRepeatedUntilEverySourceCompletes_JournalAndKpisEqualTheFaultFreeSync(int seed)
    {
        var company = Company(seed);
        var (first, end) = company.Range(TimeProvider.System);

        var (clean, cleanEvents) = await SyncAsync(company, storm: false);
        var (stormed, stormedEvents) = await SyncAsync(Company(seed, storm: true), storm: true);

        Assert.True(cleanEvents.Count > 300, $"only {cleanEvents.Count} events in the fault-free journal");
        var lost = cleanEvents.Except(stormedEvents).ToList();
        var extra = stormedEvents.Except(cleanEvents).ToList();
        Assert.True(lost.Count + extra.Count == 0, $"{lost.Count} events lost (e.g. {lost.FirstOrDefault()}), {extra.Count} extra (e.g. {extra.FirstOrDefault()}) of {cleanEvents.Count}");
        Assert.Equal(cleanEvents.Count, stormedEvents.Count);
        Campaign.AssertSameKpis(await clean.ExportAsync(first, end), await stormed.ExportAsync(first, end));
    }

    [Fact]
    public async Task SyncOnce_PseudonymisedJournal_PersonKeysArePseudonymsAndKpisEqualTheClearJournal()
    {
        // Every join (events to identity links to directory records) must hold on pseudonyms as it does in the clear.
        var company = Company(9);
        var (first, end) = company.Range(TimeProvider.System);
        var (clear, clearEvents) = await SyncAsync(company, storm: false);
        var (keyed, keyedEvents) = await SyncAsync(Company(9), storm: false, ["--Journal:PseudonymKey", "a-random-secret-of-at-least-32-chars"]);

        Assert.Equal(clearEvents.Count, keyedEvents.Count);
        using (var journal = new SqliteEventJournal(new JournalOptions { Path = keyed.JournalPath }))
        {
            // Person keys only: an event id may still quote one (Jira's project-member ids do; see docs/operations.md).
            await foreach (var e in journal.StreamAsync(DateTimeOffset.MinValue, DateTimeOffset.MaxValue))
            {
                Assert.True(PersonPseudonyms.IsPseudonym(e.Person), $"{e.Source}/{e.Id}: person stored in the clear");
            }

            var directory = await journal.LoadDirectoryAsync();
            Assert.NotEmpty(directory);
            Assert.All(directory, r => Assert.True(PersonPseudonyms.IsPseudonym(r.Person)));
            Assert.All(await journal.LoadIdentitiesAsync(), l => Assert.True(PersonPseudonyms.IsPseudonym(l.Identity) && PersonPseudonyms.IsPseudonym(l.Person)));
        }

        SqliteConnection.ClearAllPools();

        Campaign.AssertSameKpis(await clear.ExportAsync(first, end), await keyed.ExportAsync(first, end));
    }

    private static SimulatorOptions Company(int seed, bool storm = false)
    {
        var options = new SimulatorOptions { Employees = 60, Days = 30, Seed = seed, Departments = 4 };
        options.EndDate = options.Range(TimeProvider.System).End;
        if (storm)
        {
            // Counters run per vendor and on across syncs, so each sync meets the faults at other requests.
            options.Faults = new FaultOptions
            {
                RateLimitEvery = 4,
                RateLimitBurst = 2,
                RetryAfterSeconds = 0,
                ServerErrorEvery = 5,
                SlowEvery = 9,
                SlowDelay = TimeSpan.FromSeconds(1.5),
                MalformedEvery = 11,
            };
        }

        return options;
    }

    private readonly List<CliRunner> _runners = [];

    /// <summary>Starts the simulator, syncs until every source has completed once, returns the runner and the journal's events.</summary>
    private async Task<(CliRunner Runner, HashSet<string> Events)> SyncAsync(SimulatorOptions options, bool storm, IEnumerable<string>? extra = null)
    {
        await using var simulator = await SimulatorHost.StartAsync(options);
        var settings = simulator.ConnectorSettings().SelectMany(kv => new[] { "--" + kv.Key, kv.Value }).ToList();
        foreach (var prefix in SourcePrefixes)
        {
            // Short waits so the storm fits in CI: the attempt timeout is below the slow answers, the breaker re-closes soon.
            settings.AddRange([
                $"--{prefix}:Resilience:BaseDelay", "00:00:00.050",
                $"--{prefix}:Resilience:MaxDelay", "00:00:00.500",
                $"--{prefix}:Resilience:AttemptTimeout", "00:00:01",
                $"--{prefix}:Resilience:TotalTimeout", "00:00:20",
                $"--{prefix}:Resilience:BreakDuration", "00:00:01",
            ]);
        }

        var runner = new CliRunner(influx.Url, influx.NewDatabase(), extra: [.. settings, "--Kpi:MinimumGroupSize", "5", .. extra ?? []]);
        _runners.Add(runner);
        var completed = new HashSet<string>(StringComparer.Ordinal);
        var syncs = 0;
        var failures = 0;
        while (completed.Count < SourcePrefixes.Length && syncs < MaxSyncs)
        {
            syncs++;
            var result = await runner.RunAsync("sync", "--once");
            // 0 crashed: a storm ends a source's run with a reported error (exit 1) or bad items (exit 2), never an exception.
            Assert.True(result.ExitCode is 0 or 1 or 2, $"sync {syncs}: exit {result.ExitCode}\n{result.Output}\n{result.Error}");
            Assert.DoesNotContain("Unhandled", result.Error, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"\n\s+at Metrics\.", result.Error);
            foreach (Match m in SourceLine().Matches(result.Output))
            {
                if (m.Groups[2].Value == "ok")
                {
                    completed.Add(m.Groups[1].Value);
                }
                else
                {
                    failures++;
                }
            }

            Assert.True(storm || completed.Count == SourcePrefixes.Length, $"the fault-free sync did not complete:\n{result.Output}\n{result.Error}");
        }

        Assert.True(completed.Count == SourcePrefixes.Length, $"after {syncs} syncs only {string.Join(", ", completed)} completed");
        // The storm must have ended some source runs early, or repeating proved nothing.
        Assert.True(!storm || failures > 0, $"no source run failed in {syncs} stormy syncs");

        var events = await EventsAsync(runner.JournalPath);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"storm={storm} seed={options.Seed}: {syncs} syncs, {failures} failed source runs, {events.Count} events"));
        return (runner, events);
    }

    private static async Task<HashSet<string>> EventsAsync(string path)
    {
        var events = new HashSet<string>(StringComparer.Ordinal);
        // The SQLite journal itself: what the file holds, pseudonyms included.
        using (var journal = new SqliteEventJournal(new JournalOptions { Path = path }))
        {
            await foreach (var e in journal.StreamAsync(new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero)))
            {
                Assert.True(events.Add(Key(e)), $"event {e.Source}/{e.Id} streamed twice");
            }
        }

        SqliteConnection.ClearAllPools();
        return events;
    }

    private static string Key(CanonicalEvent e) =>
        string.Join('|', e.Source, e.Id, EventTypes.Name(e.Type), e.Time.UtcTicks.ToString(CultureInfo.InvariantCulture), e.Person, e.Subject, e.AiAssisted, e.AttributesJson);

    public void Dispose()
    {
        foreach (var runner in _runners)
        {
            runner.Dispose();
        }
    }

    [GeneratedRegex(@"^(\w+): (ok|FAILED|skipped),", RegexOptions.Multiline)]
    private static partial Regex SourceLine();
}
