using Metrics.Core.Kpis;
using Metrics.Core.Ports;
using Metrics.Sources.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Metrics.Sources.Tests.Fakes;

/// <summary>Builds the real registration (<c>AddMetricsSources</c>) over in-memory configuration and journal.</summary>
public sealed class SourceHost : IDisposable
{
    public static readonly DateTimeOffset DefaultNow = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private SourceHost(ServiceProvider provider, InMemoryEventJournal journal, FixedNowTimeProvider clock)
    {
        Provider = provider;
        Journal = journal;
        Clock = clock;
    }

    public ServiceProvider Provider { get; }

    public InMemoryEventJournal Journal { get; }

    public FixedNowTimeProvider Clock { get; }

    public SourceSyncService Sync => Provider.GetRequiredService<SourceSyncService>();

    /// <summary>Short resilience settings so retry tests take milliseconds, plus the test's own keys.</summary>
    public static Dictionary<string, string?> FastResilience(string section) => new()
    {
        [$"{section}:Resilience:BaseDelay"] = "00:00:00.010",
        [$"{section}:Resilience:MaxDelay"] = "00:00:02",
        [$"{section}:Resilience:AttemptTimeout"] = "00:00:01",
        [$"{section}:Resilience:TotalTimeout"] = "00:00:10",
        [$"{section}:Resilience:MaxRetries"] = "3",
    };

    public static SourceHost Create(Dictionary<string, string?> settings, InMemoryEventJournal? journal = null, DateTimeOffset? now = null, IEventJournal? realJournal = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        var clock = new FixedNowTimeProvider(now ?? DefaultNow);
        services.AddSingleton<TimeProvider>(clock);
        journal ??= new InMemoryEventJournal();
        services.AddSingleton(realJournal ?? journal);
        // As the worker's composition root does: the Kpi section (plausible event times) is bound there, not by the sources.
        services.AddOptions<KpiOptions>().Bind(configuration.GetSection(KpiOptions.SectionName));
        services.AddMetricsSources(configuration);
        return new SourceHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), journal, clock);
    }

    public void Dispose() => Provider.Dispose();
}
