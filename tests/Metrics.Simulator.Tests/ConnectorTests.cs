using Metrics.Core.Events;
using Metrics.Core.Ports;
using Metrics.Simulator.Generation;
using Metrics.Simulator.Hosting;
using Metrics.Sources.Common;
using Metrics.Sources.Directory;
using Metrics.Sources.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Metrics.Simulator.Tests;

/// <summary>The real connectors (Refit clients, resilience, mappers) against the simulator over HTTP, compared with the ground truth.</summary>
public sealed class ConnectorTests
{
    private sealed record Pulled(List<CanonicalEvent> Events, List<BadItem> Bad);

    private static ServiceProvider Connectors(RunningSimulator sim, params (string Key, string Value)[] extra)
    {
        var settings = sim.ConnectorSettings().Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)).ToList();
        foreach (var section in new[] { "Lms", "LowCode", "Ticketing", "Directory" })
        {
            settings.Add(new($"Sources:{section}:Resilience:BaseDelay", "00:00:00.050"));
            settings.Add(new($"Sources:{section}:Resilience:MaxDelay", "00:00:02"));
            settings.Add(new($"Sources:{section}:Resilience:TotalTimeout", "00:01:00"));
        }

        settings.AddRange(extra.Select(x => new KeyValuePair<string, string?>(x.Key, x.Value)));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(new FixedClock(TestCompany.Now));
        services.AddSingleton<IEventJournal, StateJournal>();
        services.AddMetricsSources(configuration);
        return services.BuildServiceProvider();
    }

    private static async Task<Pulled> PullAsync(ServiceProvider provider, string source)
    {
        var s = provider.GetServices<IEventSource>().Single(x => x.Name == source);
        var events = new List<CanonicalEvent>();
        var bad = new List<BadItem>();
        await foreach (var page in s.PullAsync(null, PullWindow.Incremental, CancellationToken.None))
        {
            foreach (var e in page.Events)
            {
                // The sync service applies the same guard before storing.
                if (EventGuard.Check(e, TestCompany.Now, PlausibleTimeRange.Default) is { } reason)
                {
                    bad.Add(new BadItem(source, e.Id, reason));
                }
                else
                {
                    events.Add(e);
                }
            }

            bad.AddRange(page.BadItems);
        }

        return new Pulled(events, bad);
    }

    private static string Key(CanonicalEvent e) =>
        string.Join('|', e.Source, e.Id, EventTypes.Name(e.Type), e.Time.UtcTicks, e.Person, e.Subject, e.AiAssisted, e.AttributesJson);

    private static void AssertSame(IEnumerable<CanonicalEvent> expected, IEnumerable<CanonicalEvent> actual)
    {
        var want = expected.Select(Key).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(want);
        var got = actual.Select(Key).Order(StringComparer.Ordinal).ToList();
        var missing = want.Except(got).Take(5).ToList();
        var extra = got.Except(want).Take(5).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0 && want.Count == got.Count,
            $"expected {want.Count}, got {got.Count}; missing: {string.Join(" ; ", missing)}; extra: {string.Join(" ; ", extra)}");
    }

    private static void AssertRejected(Simulation sim, string source, Pulled pulled)
    {
        var expected = sim.Truth.Differences.Where(d => d.Source == source && d.Kind == DifferenceKind.Rejected).Select(d => d.ItemId).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, pulled.Bad.Select(b => b.ItemId).Order(StringComparer.Ordinal).ToList());
    }

    [Theory]
    [InlineData("lms")]
    [InlineData("lowcode")]
    [InlineData("ticketing")]
    public async Task PullAsync_EachConnector_MapsExactlyTheGroundTruth(string source)
    {
        await using var sim = await TestCompany.StartAsync();
        await using var provider = Connectors(sim);
        var pulled = await PullAsync(provider, source);
        AssertSame(sim.Simulation.Truth.Events.Where(e => e.Source == source), pulled.Events);
        AssertRejected(sim.Simulation, source, pulled);
    }

    [Fact]
    public async Task PullAsync_RateLimitsAndServerErrors_StillMapsExactlyTheGroundTruth()
    {
        var options = TestCompany.Options(employees: 40, days: 45);
        options.Faults.RateLimitEvery = 4;
        options.Faults.RateLimitBurst = 2;
        options.Faults.RetryAfterSeconds = 0;
        options.Faults.ServerErrorEvery = 7;
        await using var sim = await TestCompany.StartAsync(options);
        await using var provider = Connectors(sim);
        foreach (var source in new[] { "lms", "lowcode", "ticketing" })
        {
            var pulled = await PullAsync(provider, source);
            AssertSame(sim.Simulation.Truth.Events.Where(e => e.Source == source), pulled.Events);
        }
    }

    [Fact]
    public async Task PullAsync_MalformedPage_FailsThePullWithoutRetrying()
    {
        var options = TestCompany.Options(employees: 40, days: 45);
        options.Faults.MalformedEvery = 2;
        await using var sim = await TestCompany.StartAsync(options);
        await using var provider = Connectors(sim);
        var error = await Assert.ThrowsAsync<SourcePageException>(() => PullAsync(provider, "lms"));
        Assert.Contains("malformed JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GraphDirectory_Snapshot_EqualsTheOpenDirectoryRows()
    {
        await using var sim = await TestCompany.StartAsync();
        await using var provider = Connectors(sim);
        var options = provider.GetRequiredService<IOptions<DirectoryOptions>>().Value;
        var state = await provider.GetRequiredService<GraphDirectory>().PullAsync(options, provider.GetRequiredService<IEventJournal>(), CancellationToken.None);
        Assert.NotNull(state.DeltaLink);
        var raw = state.Users.Where(u => u.Value.AccountEnabled)
            .Select(u => new ProviderPerson(u.Value.Mail, u.Value.UserPrincipalName, u.Value.EmployeeId, u.Value.Department, u.Value.JobTitle, u.Value.ManagerId, null, u.Key))
            .ToList();
        var bad = new List<BadItem>();
        var snapshot = DirectorySyncSource.Snapshot(raw, options, bad);

        var expected = sim.Simulation.Directory().Where(r => r.To is null).Select(r => $"{r.Person}|{r.Department}|{r.Level}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, snapshot.Select(p => $"{p.Person}|{p.Department}|{p.Level}").Order(StringComparer.Ordinal));
        AssertRejected(sim.Simulation, "directory", new Pulled([], bad));

        // A second round follows the delta link and sees no change.
        var journal = provider.GetRequiredService<IEventJournal>();
        await GraphDirectory.SaveAsync(journal, state, CancellationToken.None);
        var again = await provider.GetRequiredService<GraphDirectory>().PullAsync(options, journal, CancellationToken.None);
        Assert.Equal(state.Users.Count, again.Users.Count);
    }
}
