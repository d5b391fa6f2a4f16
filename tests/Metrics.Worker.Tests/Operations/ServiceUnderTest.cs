using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Metrics.Simulator;
using Metrics.Simulator.Hosting;
using Metrics.Testing;
using Metrics.Worker.Tests.Cli;

namespace Metrics.Worker.Tests.Operations;

/// <summary>
/// The real <c>metrics run</c> process on a free loopback port against a real InfluxDB, optionally pulling every source
/// from an in-process simulator, for tests of what operators see: /metrics, health endpoints, logs.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    private readonly CliRunner _cli;
    private readonly RunningSimulator? _simulator;
    private MetricsProcess? _process;

    private ServiceUnderTest(CliRunner cli, RunningSimulator? simulator, int port)
    {
        _cli = cli;
        _simulator = simulator;
        Port = port;
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public RunningSimulator? Simulator => _simulator;

    public MetricsProcess Process => _process ?? throw new InvalidOperationException("not started");

    /// <summary>Prepares the service's settings; with <paramref name="simulate"/> every source points at a small simulated company.</summary>
    public static async Task<ServiceUnderTest> CreateAsync(InfluxDbProcess influx, bool simulate, IEnumerable<string>? extra = null)
    {
        RunningSimulator? simulator = null;
        var settings = new List<string>();
        if (simulate)
        {
            // Distinctive credentials, so a log test finds them wherever they leak (the defaults read like header names).
            var credentials = new SimulatorCredentials
            {
                LrsUsername = "lrs-user-3b1f",
                LrsPassword = "lrs-pass-9c2e7a",
                N8nApiKey = "n8n-key-74d0aa",
                JiraEmail = "jira-bot-51c3@ops.example",
                JiraApiToken = "jira-token-e81f0b",
                GraphClientSecret = "graph-secret-2a9d4c",
            };
            simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Employees = 20, Days = 14, Seed = 11, Credentials = credentials });
            settings.AddRange(simulator.ConnectorSettings().SelectMany(kv => new[] { "--" + kv.Key, kv.Value }));
        }

        settings.AddRange(extra ?? []);
        return new ServiceUnderTest(new CliRunner(influx.Url, influx.NewDatabase(), extra: settings), simulator, FreePort());
    }

    public Task<CliResult> RunCliAsync(params string[] args) => _cli.RunAsync(args);

    public string WorkDirectory => _cli.WorkDirectory;

    public Task<List<ExportedPoint>> ExportAsync(DateOnly from, DateOnly to) => _cli.ExportAsync(from, to);

    /// <summary>Starts <c>metrics run</c> with a one-second cycle and waits until liveness answers.</summary>
    public async Task StartAsync(params string[] extra)
    {
        _process = new MetricsProcess(_cli.WorkDirectory, ["run", "--urls", BaseUrl, "--Worker:Interval", "00:00:01", .. _cli.Settings, .. extra]);
        await EventuallyAsync(() => StatusAsync("/health/live"), s => s == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "/health/live answering");
    }

    public async Task<HttpStatusCode> StatusAsync(string path)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(BaseUrl + path));
            return response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(BaseUrl + path));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls until <paramref name="done"/>; the timeout only bounds a hung test, no assertion depends on timing.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        T last;
        do
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            await Task.Delay(250);
        }
        while (clock.Elapsed < timeout);

        throw new TimeoutException($"{what} did not happen within {timeout}; last: {last}");
    }

    public async ValueTask DisposeAsync()
    {
        _process?.Dispose();
        Http.Dispose();
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        _cli.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
