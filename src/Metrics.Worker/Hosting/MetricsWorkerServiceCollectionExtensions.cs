using Metrics.Core.Kpis;
using Metrics.Worker.Application;
using Metrics.Worker.Hosting;
using Metrics.Worker.Reports;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class MetricsWorkerServiceCollectionExtensions
{
    /// <summary>
    /// Composes the worker: KPI settings, the event journal, the InfluxDB store and the application services that
    /// connect them. Every option is validated when the host starts, with messages naming the setting.
    /// </summary>
    public static IServiceCollection AddMetricsWorker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<KpiOptions>().Bind(configuration.GetSection(KpiOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KpiOptions>, KpiOptionsValidator>();
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();
        services.AddSingleton(TimeProvider.System);
        services.AddEventJournal(configuration);
        services.AddInfluxKpiStore(configuration);
        services.AddMetricsSources(configuration);
        services.AddSingleton<KpiRecomputer>();
        services.AddSingleton<CanonicalImporter>();
        services.AddSingleton<SourceHealthReporter>();
        services.AddSingleton<IngestionCycle>();
        services.AddOptions<ReportOptions>().Bind(configuration.GetSection(ReportOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReportOptions>, ReportOptionsValidator>();
        services.AddSingleton<DigestService>();
        services.AddSingleton<DigestMailer>();
        return services;
    }
}
