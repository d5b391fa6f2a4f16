using Metrics.Simulator.Export;
using Metrics.Simulator.Generation;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Metrics.Simulator.Hosting;

/// <summary>
/// <c>metrics-simulator serve [--urls URL] [--Simulator:Key value ...]</c> serves the vendors;
/// <c>metrics-simulator export --out DIR [--Simulator:Key value ...]</c> writes the ground truth.
/// </summary>
public static class SimulatorCli
{
    public const string Usage = """
        usage: metrics-simulator serve [--urls http://127.0.0.1:5080] [--Simulator:Employees 200 --Simulator:Days 120 ...]
               metrics-simulator export --out DIR [--Simulator:Employees 200 ...]
               metrics-simulator connectors [--base-url http://127.0.0.1:5080]   prints the worker's Sources settings
               metrics-simulator health [http://127.0.0.1:8080/healthz]          exit 0 when it answers (container health check)
        """;

    /// <summary>The runtime image has no curl: the container health check asks the simulator itself.</summary>
    private static async Task<int> HealthAsync(string url, TextWriter stdout, TextWriter stderr)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(url));
            await stdout.WriteLineAsync($"{(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await stderr.WriteLineAsync($"unhealthy: {ex.Message}");
            return 1;
        }
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length > 0 && args[0] == "health")
        {
            return await HealthAsync(args.Length > 1 ? args[1] : "http://127.0.0.1:8080/healthz", stdout, stderr);
        }

        if (args.Length == 0 || args[0] is not ("serve" or "export" or "connectors"))
        {
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        var verb = args[0];
        var rest = args[1..].ToList();
        string? Take(string name)
        {
            var i = rest.IndexOf(name);
            if (i < 0 || i + 1 >= rest.Count)
            {
                return null;
            }

            var value = rest[i + 1];
            rest.RemoveRange(i, 2);
            return value;
        }

        var outDir = Take("--out");
        var baseUrl = Take("--base-url") ?? ConnectorSettings.DefaultBaseUrl;
        if (verb == "serve" && !rest.Contains("--urls"))
        {
            rest.AddRange(["--urls", ConnectorSettings.DefaultBaseUrl]);
        }

        WebApplication app;
        SimulatorOptions options;
        try
        {
            app = SimulatorHost.Build([.. rest]);
            options = app.Services.GetRequiredService<IOptions<SimulatorOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            await stderr.WriteLineAsync("configuration error: " + string.Join("; ", ex.Failures));
            return 1;
        }

        await using (app)
        {
            switch (verb)
            {
                case "connectors":
                    await stdout.WriteAsync(ConnectorSettings.Json(baseUrl, options));
                    return 0;
                case "export":
                    if (outDir is null)
                    {
                        await stderr.WriteLineAsync("export needs --out DIR\n" + Usage);
                        return 2;
                    }

                    var sim = app.Services.GetRequiredService<Simulation>();
                    await GroundTruthExport.WriteAsync(sim, outDir, CancellationToken.None);
                    await stdout.WriteLineAsync($"wrote {sim.Truth.Events.Count} events, {sim.Directory().Count} directory rows, {sim.Courses.Count} courses and {sim.Truth.Differences.Count} expected differences to {outDir}");
                    return 0;
                default:
                    var simulation = app.Services.GetRequiredService<Simulation>();
                    await app.StartAsync();
                    foreach (var url in app.Urls)
                    {
                        await stdout.WriteLineAsync($"simulator: {simulation.Company.Employees.Count} people, {Story.Iso(simulation.Story.First)}..{Story.Iso(simulation.Story.End.AddDays(-1))}, {simulation.Truth.Events.Count} events, on {url} (index at /, Ctrl-C to stop)");
                    }

                    await app.WaitForShutdownAsync();
                    return 0;
            }
        }
    }
}
