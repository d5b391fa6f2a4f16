using Metrics.Worker.Api;
using Metrics.Worker.Reports;
using Metrics.Worker.Telemetry;
using Microsoft.Extensions.Logging.Console;

namespace Metrics.Worker.Hosting;

/// <summary>Builds the hosts: the web host for <c>run</c>, a plain host for the one-shot commands.</summary>
public static class WorkerHost
{
    /// <param name="configArgs">Command-line configuration (<c>--Section:Key value</c>).</param>
    /// <param name="overrides">Settings that win over every other source except the command line (used by <c>demo</c>).</param>
    public static WebApplication BuildWebApp(string[] configArgs, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = configArgs });
        AddSharedDefaults(builder.Configuration);
        AddOverrides(builder.Configuration, overrides, configArgs);
        builder.Services.AddMetricsWorker(builder.Configuration);
        builder.Services.AddSingleton<KpiWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<KpiWorker>());
        builder.Services.AddHostedService<DigestScheduler>();
        builder.AddMetricsOperations();
        builder.Services.AddPushApi(builder.Configuration);
        var app = builder.Build();
        app.MapMetricsOperations();
        app.MapPushApi();
        return app;
    }

    /// <summary>A started host for a one-shot command: options are validated on start; logs go to stderr so stdout stays machine-readable.</summary>
    public static async Task<IHost> StartCliHostAsync(string[] configArgs, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = configArgs });
        AddSharedDefaults(builder.Configuration);
        AddOverrides(builder.Configuration, overrides, configArgs);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        // One-shot commands only show problems unless the operator chose a level: a provider-specific rule outranks
        // the "Logging:LogLevel" rules, so it is added only when Logging:LogLevel:Default was not given.
        if (string.IsNullOrEmpty(builder.Configuration["Logging:LogLevel:Default"]))
        {
            builder.Logging.AddFilter<ConsoleLoggerProvider>(null, LogLevel.Warning);
        }

        // A failed start is reported by the command as one clear line; the host's own stack trace would bury it.
        builder.Logging.AddFilter<ConsoleLoggerProvider>("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Logging.AddMetricsLogFormat(builder.Configuration);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddMetricsWorker(builder.Configuration);
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    private static void AddOverrides(ConfigurationManager configuration, IReadOnlyDictionary<string, string?>? overrides, string[] configArgs)
    {
        if (overrides is { Count: > 0 })
        {
            configuration.AddInMemoryCollection(overrides);
            // The command line keeps the last word, as everywhere else in .NET configuration.
            configuration.AddCommandLine(configArgs);
        }
    }

    private static void AddSharedDefaults(ConfigurationManager configuration)
    {
        // Defaults shipped next to the binary apply wherever it is started from; the working directory's
        // appsettings.json, the environment and the command line still override them (they were added earlier
        // but are re-added after, keeping .NET's usual precedence).
        var shipped = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (File.Exists(shipped) && !string.Equals(Path.GetFullPath(shipped), Path.GetFullPath("appsettings.json"), StringComparison.Ordinal))
        {
            var sources = configuration.Sources.ToList();
            configuration.Sources.Clear();
            configuration.AddJsonFile(shipped, optional: true);
            foreach (var source in sources)
            {
                configuration.Sources.Add(source);
            }
        }
    }
}
