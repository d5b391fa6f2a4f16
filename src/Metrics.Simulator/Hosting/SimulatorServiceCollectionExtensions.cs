using Metrics.Simulator;
using Metrics.Simulator.Export;
using Metrics.Simulator.Generation;
using Metrics.Simulator.Hosting;
using Metrics.Simulator.Vendors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Composition of the simulator: options, the generated company, vendor endpoints and the ground truth.</summary>
public static class SimulatorServiceCollectionExtensions
{
    /// <summary>Binds and validates <c>Simulator</c>; the company is generated once, on first use.</summary>
    public static IServiceCollection AddSimulator(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SimulatorOptions>().Bind(configuration.GetSection(SimulatorOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>());
        services.TryAddSingleton(sp => Simulation.Generate(sp.GetRequiredService<IOptions<SimulatorOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>Maps every vendor, the ground truth under <c>/ground-truth/</c>, <c>/healthz</c> and an index at <c>/</c>.</summary>
    public static IEndpointRouteBuilder MapSimulator(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        XapiLrs.Map(app);
        N8nApi.Map(app);
        JiraCloud.Map(app);
        MicrosoftGraph.Map(app);
        CopilotVendors.Map(app);
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/ground-truth/{file}", (string file, Simulation sim) =>
            GroundTruthExport.Files.Contains(file)
                ? Results.Bytes(GroundTruthExport.Render(sim, file), file.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : file.EndsWith(".md", StringComparison.Ordinal) ? "text/markdown" : file.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv" : "application/x-ndjson")
                : Results.NotFound());
        app.MapGet("/connectors.appsettings.json", (HttpContext c, IOptions<SimulatorOptions> o) =>
            Results.Text(ConnectorSettings.Json(c.Request.Scheme + "://" + c.Request.Host + c.Request.PathBase, o.Value), "application/json"));
        app.MapGet("/", (HttpContext c, Simulation sim) =>
        {
            var b = c.Request.Scheme + "://" + c.Request.Host + c.Request.PathBase;
            return Results.Json(new
            {
                company = new { people = sim.Company.Employees.Count, firstDay = Story.Iso(sim.Story.First), endDay = Story.Iso(sim.Story.End), events = sim.Truth.Events.Count },
                lrs = b + XapiLrs.Prefix,
                n8n = b + N8nApi.Prefix,
                jira = b + JiraCloud.Prefix,
                graph = b + MicrosoftGraph.Prefix,
                github = b + CopilotVendors.GitHubPrefix,
                graphToken = b + "/login/" + sim.Options.Credentials.GraphTenant + "/oauth2/v2.0/token",
                groundTruth = GroundTruthExport.Files.Select(f => b + "/ground-truth/" + f),
                connectorSettings = b + "/connectors.appsettings.json",
            });
        });
        return app;
    }

    /// <summary>The fault middleware; add it before the endpoints.</summary>
    public static IApplicationBuilder UseSimulatorFaults(this IApplicationBuilder app) => app.UseMiddleware<FaultMiddleware>();
}
