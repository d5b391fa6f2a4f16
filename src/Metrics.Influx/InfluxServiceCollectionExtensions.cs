using Metrics.Core.Kpis;
using Metrics.Core.Ports;
using Metrics.Influx;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the InfluxDB KPI store.</summary>
public static class InfluxServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="InfluxKpiStore"/> as the singleton <see cref="IKpiStore"/>, with <see cref="InfluxOptions"/> bound
    /// from the <c>Influx</c> section and validated at start-up, and a named <see cref="HttpClient"/>.
    /// </summary>
    /// <remarks>
    /// The store maps dates through <see cref="KpiOptions.TimeZone"/>; binding the <c>Kpi</c> section is left to the
    /// composition root, which the KPI engine shares, so this method only makes <see cref="KpiOptions"/> resolvable.
    /// Section shape: <c>{ "Influx": { "Url": "http://influxdb:8086", "Api": "auto", "Token": "…", "Org": "…",
    /// "Bucket": "…", "Database": "metrics", "BatchSize": 20000, "Timeout": "00:00:30" } }</c>.
    /// </remarks>
    public static IServiceCollection AddInfluxKpiStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<InfluxOptions>()
            .Bind(configuration.GetSection(InfluxOptions.SectionName))
            .PostConfigure(o => o.ReadSecretFiles())
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InfluxOptions>, InfluxOptionsValidator>());
        services.AddOptions<KpiOptions>();

        // The store is a singleton holding one client, so connection recycling (DNS changes) comes from the
        // pooled-connection lifetime rather than from the factory rotating handlers.
        services.AddHttpClient(InfluxKpiStore.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        services.AddMetrics();
        services.TryAddSingleton<InfluxTelemetry>();
        services.TryAddSingleton(sp => new InfluxKpiStore(
            sp.GetRequiredService<IOptions<InfluxOptions>>(),
            sp.GetRequiredService<IOptions<KpiOptions>>(),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(InfluxKpiStore.HttpClientName),
            sp.GetRequiredService<ILogger<InfluxKpiStore>>(),
            sp.GetRequiredService<InfluxTelemetry>()));
        services.TryAddSingleton<IKpiStore>(sp => sp.GetRequiredService<InfluxKpiStore>());
        return services;
    }
}
