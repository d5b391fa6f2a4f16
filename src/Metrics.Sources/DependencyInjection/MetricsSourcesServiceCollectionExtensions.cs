using Metrics.Core.Ports;
using Metrics.Sources.Common;
using Metrics.Sources.Directory;
using Metrics.Sources.Lms;
using Metrics.Sources.LowCode;
using Metrics.Sources.Sync;
using Metrics.Sources.Telemetry;
using Metrics.Sources.Ticketing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

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

        AddSourceOptions<LmsOptions, LmsOptionsValidator>(services, configuration, LmsOptions.SectionName);
        services.AddSourceClient<IXapiApi, LmsOptions>("source-lms", o => o.BaseUrl, (client, o) =>
        {
            client.DefaultRequestHeaders.Add("X-Experience-API-Version", o.Version);
            if (o.Username is not null && o.Password is not null)
            {
                client.DefaultRequestHeaders.Authorization = SourceHttp.Basic(o.Username, o.Password);
            }
        });
        services.AddTransient<IEventSource, XapiSource>();

        AddSourceOptions<LowCodeOptions, LowCodeOptionsValidator>(services, configuration, LowCodeOptions.SectionName);
        services.AddSourceClient<IN8nApi, LowCodeOptions>("source-lowcode", o => o.BaseUrl, (client, o) =>
        {
            if (o.ApiKey is not null)
            {
                client.DefaultRequestHeaders.Add("X-N8N-API-KEY", o.ApiKey);
            }
        });
        services.AddTransient<IEventSource, N8nSource>();

        AddSourceOptions<TicketingOptions, TicketingOptionsValidator>(services, configuration, TicketingOptions.SectionName);
        services.AddSourceClient<IJiraApi, TicketingOptions>("source-ticketing", o => o.BaseUrl, (client, o) =>
        {
            if (o.Email is not null && o.ApiToken is not null)
            {
                client.DefaultRequestHeaders.Authorization = SourceHttp.Basic(o.Email, o.ApiToken);
            }
        });
        services.AddTransient<IEventSource, JiraSource>();

        AddSourceOptions<DirectoryOptions, DirectoryOptionsValidator>(services, configuration, DirectoryOptions.SectionName);
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

        services.AddTransient<SourceSyncService>();
        return services;
    }

    private static void AddSourceOptions<TOptions, TValidator>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : SourceOptions
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }
}
