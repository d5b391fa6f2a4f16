using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Health;

/// <summary>Registers and maps the liveness and readiness endpoints; they are mapped in every environment, not only in development.</summary>
public static class HealthEndpoints
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    /// <summary>Kept as an alias of liveness: compose.yaml's health probe and older scripts call it.</summary>
    public const string LegacyPath = "/healthz";

    public const string InfluxCheck = "influxdb";
    public const string JournalCheck = "journal";
    public const string CycleCheck = "cycle";

    private const string LiveTag = "live";
    private const string ReadyTag = "ready";

    public static IServiceCollection AddMetricsHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<HealthOptions>().Bind(configuration.GetSection(HealthOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>();
        services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy("process running"), [LiveTag])
            .AddCheck<InfluxHealthCheck>(InfluxCheck, tags: [ReadyTag])
            .AddCheck<JournalHealthCheck>(JournalCheck, tags: [ReadyTag])
            .AddCheck<CycleHealthCheck>(CycleCheck, tags: [ReadyTag]);
        services.AddSingleton<IHealthCheckPublisher, HealthStatusPublisher>();
        services.Configure<HealthCheckPublisherOptions>(o => o.Predicate = r => r.Tags.Contains(ReadyTag));
        return services;
    }

    public static WebApplication MapMetricsHealthChecks(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var live = new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag), ResponseWriter = WriteJsonAsync };
        app.MapHealthChecks(LivePath, live);
        app.MapHealthChecks(LegacyPath, live);
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag), ResponseWriter = WriteJsonAsync });
        return app;
    }

    /// <summary>The overall status and each check's status and description, so an operator sees which dependency failed.</summary>
    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description, seconds = Math.Round(e.Value.Duration.TotalSeconds, 3) },
                StringComparer.Ordinal),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body), context.RequestAborted);
    }
}
