using Metrics.Core.Kpis;
using Metrics.Core.Ports;
using Metrics.Sources.Common;
using Metrics.Sources.Directory;
using Metrics.Sources.GitHubCopilot;
using Metrics.Sources.Lms;
using Metrics.Sources.LowCode;
using Metrics.Sources.M365Copilot;
using Metrics.Sources.Sync;
using Metrics.Sources.Telemetry;
using Metrics.Sources.Ticketing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the pulled sources and <see cref="SourceSyncService"/>.</summary>
public static class MetricsSourcesServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates (at start-up) <c>Sources:Lms</c>, <c>Sources:LowCode</c>, <c>Sources:Ticketing</c> and
    /// <c>Sources:Directory</c>, registers one Refit client per vendor API with its resilience pipeline, the sources and
    /// <see cref="SourceSyncService"/>. The caller registers the <c>IEventJournal</c>.
    /// </summary>
    public static IServiceCollection AddMetricsSources(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<SourceTelemetry>();
        services.TryAddSingleton<EntraTokenCache>();

        // One line per connector folder (see docs/sources.md, "How to add a connector").
        services.AddConnector<IXapiApi, LmsOptions, LmsOptionsValidator, XapiSource>(configuration, LmsOptions.SectionName);
        services.AddConnector<IN8nApi, LowCodeOptions, LowCodeOptionsValidator, N8nSource>(configuration, LowCodeOptions.SectionName);
        services.AddConnector<IJiraApi, TicketingOptions, TicketingOptionsValidator, JiraSource>(configuration, TicketingOptions.SectionName);
        services.AddConnector<IM365CopilotApi, M365CopilotOptions, M365CopilotOptionsValidator, M365CopilotSource>(configuration, M365CopilotOptions.SectionName);
        GitHubCopilotSource.Register(services, configuration);

        services.AddSourceOptions<DirectoryOptions, DirectoryOptionsValidator>(configuration, DirectoryOptions.SectionName);
        services.PostConfigure<DirectoryOptions>(o =>
        {
            if (string.IsNullOrWhiteSpace(o.TimeZone))
            {
                o.TimeZone = configuration["Kpi:TimeZone"] is { Length: > 0 } zone ? zone : "UTC";
            }
        });
        services.AddSourceClient<IGraphApi, DirectoryOptions>("source-directory", o => o.BaseUrl);
        services.AddSourceClient<IGraphTokenApi, DirectoryOptions>("source-directory-token", o => o.TokenEndpoint);
        services.AddTransient<GraphDirectory>();
        services.AddTransient<IDirectorySource, DirectorySyncSource>();

        // The plausible event times come from the Kpi section, which the composition root binds (the engine shares it).
        services.AddOptions<KpiOptions>();
        services.AddTransient<SourceSyncService>();
        return services;
    }
}
