using System.Globalization;
using Metrics.Simulator.Generation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Metrics.Simulator.Hosting;

/// <summary>A simulator running in this process on Kestrel, for tests and the demo. Dispose to stop it.</summary>
public sealed class RunningSimulator(WebApplication app, Uri baseUrl) : IAsyncDisposable
{
    public Uri BaseUrl { get; } = baseUrl;

    public Simulation Simulation => app.Services.GetRequiredService<Simulation>();

    public SimulatorOptions Options => Simulation.Options;

    /// <summary>The worker's <c>Sources</c> (and <c>Kpi</c>) settings for this instance.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ConnectorSettings() =>
        Hosting.ConnectorSettings.For(BaseUrl.AbsoluteUri, Options);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Builds and starts the simulator web app.</summary>
public static class SimulatorHost
{
    /// <summary>Builds the app from command-line style arguments (<c>--Simulator:Employees 50</c>, <c>--urls ...</c>).</summary>
    public static WebApplication Build(string[] args, TimeProvider? clock = null, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSimulator(builder.Configuration);
        var app = builder.Build();
        app.UseSimulatorFaults();
        app.MapSimulator();
        return app;
    }

    /// <summary>
    /// Starts a simulator with <paramref name="options"/> on 127.0.0.1 (port 0 picks a free one) and returns it with its
    /// base URL; the company is generated before this returns.
    /// </summary>
    public static async Task<RunningSimulator> StartAsync(SimulatorOptions options, int port = 0, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        // In-process (tests, the demo) the host's own lifetime messages would mix into the caller's output.
        KeyValuePair<string, string?>[] quiet = [new("Logging:LogLevel:Default", "Warning"), new("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Warning")];
        var app = Build(["--urls", $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"], clock, [.. Settings(options), .. quiet]);
        _ = app.Services.GetRequiredService<Simulation>();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningSimulator(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>The options as configuration keys, so they are bound and validated like any other configuration.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings(SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var p = SimulatorOptions.SectionName + ":";
        string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        yield return new(p + "Employees", I(options.Employees));
        yield return new(p + "Departments", I(options.Departments));
        yield return new(p + "Days", I(options.Days));
        yield return new(p + "Seed", I(options.Seed));
        yield return new(p + "EndDate", options.EndDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        yield return new(p + "TimeZone", options.TimeZone);
        yield return new(p + "MinimumGroupSize", I(options.MinimumGroupSize));
        yield return new(p + "Domain", options.Domain);
        foreach (var prop in typeof(SimulatorCredentials).GetProperties())
        {
            yield return new(p + "Credentials:" + prop.Name, (string?)prop.GetValue(options.Credentials));
        }

        var f = options.Faults;
        yield return new(p + "Faults:RateLimitEvery", I(f.RateLimitEvery));
        yield return new(p + "Faults:RateLimitBurst", I(f.RateLimitBurst));
        yield return new(p + "Faults:RetryAfterSeconds", I(f.RetryAfterSeconds));
        yield return new(p + "Faults:ServerErrorEvery", I(f.ServerErrorEvery));
        yield return new(p + "Faults:SlowEvery", I(f.SlowEvery));
        yield return new(p + "Faults:SlowDelay", f.SlowDelay.ToString("c", CultureInfo.InvariantCulture));
        yield return new(p + "Faults:MalformedEvery", I(f.MalformedEvery));
    }
}
