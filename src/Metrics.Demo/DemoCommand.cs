using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Metrics.Core.Kpis;
using Metrics.Core.Ports;
using Metrics.Simulator;
using Metrics.Simulator.Export;
using Metrics.Simulator.Hosting;
using Metrics.Sources.Sync;
using Metrics.Worker.Application;
using Metrics.Worker.Cli;
using Metrics.Worker.Hosting;
using Metrics.Worker.Reports;

namespace Metrics.Demo;

/// <summary>
/// <c>metrics-demo</c>: the whole service in one command. It finds (or installs and starts) an InfluxDB, starts the
/// demo company simulator, pulls its history through the real connectors, writes the KPIs, prints a summary, then
/// keeps the service running until Ctrl-C. Its state lives in <c>.demo/</c>, so a second run reuses it.
/// </summary>
public static class DemoCommand
{
    private const string DefaultInfluxUrl = "http://127.0.0.1:8086";

    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var employees = new Option<int>("--employees") { Description = "People in the demo company.", DefaultValueFactory = _ => 200 };
        var days = new Option<int>("--days") { Description = "Days of history.", DefaultValueFactory = _ => 120 };
        var seed = new Option<int>("--seed") { Description = "Seed of the deterministic company.", DefaultValueFactory = _ => 42 };
        var influxUrl = new Option<string?>("--influx-url") { Description = "Use this InfluxDB (must be reachable) instead of a local one." };
        var state = new Option<string>("--state") { Description = "Folder for the demo's journal and local InfluxDB.", DefaultValueFactory = _ => ".demo" };
        var urls = new Option<string>("--urls") { Description = "Where the service listens after the backfill.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var exit = new Option<bool>("--exit-after-backfill") { Description = "Stop after the summary instead of running the service." };
        var noSimulator = new Option<bool>("--no-simulator") { Description = "Pull the sources configured under Sources:* (real ones) instead of starting the simulator." };
        var command = new RootCommand("Run the whole service against the demo company simulator, with a local InfluxDB if none is reachable.")
        {
            employees, days, seed, influxUrl, state, urls, exit, noSimulator,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                return await RunAsync(
                    new DemoSettings(parse.GetValue(employees), parse.GetValue(days), parse.GetValue(seed), parse.GetValue(influxUrl),
                        Path.GetFullPath(parse.GetValue(state)!), parse.GetValue(urls)!, parse.GetValue(exit), parse.GetValue(noSimulator)),
                    [.. parse.UnmatchedTokens], output, error, ct);
            }
            catch (CliException ex)
            {
                await error.WriteLineAsync($"demo: {ex.Message}");
                return MetricsCli.Failed;
            }
            catch (Microsoft.Extensions.Options.OptionsValidationException ex)
            {
                await MetricsCli.WriteConfigurationErrorsAsync(error, [ex]);
                return MetricsCli.Failed;
            }
            catch (AggregateException ex) when (ex.Flatten().InnerExceptions.All(e => e is Microsoft.Extensions.Options.OptionsValidationException))
            {
                await MetricsCli.WriteConfigurationErrorsAsync(error, ex.Flatten().InnerExceptions.Cast<Microsoft.Extensions.Options.OptionsValidationException>());
                return MetricsCli.Failed;
            }
        });
        return command;
    }

    private sealed record DemoSettings(int Employees, int Days, int Seed, string? InfluxUrl, string StateDirectory, string Urls, bool ExitAfterBackfill, bool NoSimulator);

    private static async Task<int> RunAsync(DemoSettings demo, string[] configArgs, TextWriter output, TextWriter error, CancellationToken ct)
    {
        Directory.CreateDirectory(demo.StateDirectory);
        await using var influx = await LocalInflux.EnsureAsync(demo.InfluxUrl, demo.StateDirectory, error, ct);

        var simulatorOptions = new SimulatorOptions { Employees = demo.Employees, Days = demo.Days, Seed = demo.Seed };
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Journal:Path"] = Path.Combine(demo.StateDirectory, "journal.db"),
            ["Influx:Url"] = influx.Url,
            ["Influx:Api"] = "auto",
        };
        RunningSimulator? simulator = null;
        if (demo.NoSimulator)
        {
            await error.WriteLineAsync("demo: pulling the sources configured under Sources:* (no simulator)");
        }
        else
        {
            simulator = await SimulatorHost.StartAsync(simulatorOptions, cancellationToken: ct);
            await error.WriteLineAsync($"demo: simulator of {demo.Employees} people and {demo.Days} days at {simulator.BaseUrl} (xAPI, n8n, Jira, Graph, Copilot)");
            foreach (var (key, value) in simulator.ConnectorSettings())
            {
                overrides[key] = value;
            }

            // GitHub reports logins, not e-mails: the company's identity map links them, as a deployment's would.
            var identityMap = Path.Combine(demo.StateDirectory, "identity-map.csv");
            await File.WriteAllBytesAsync(identityMap, GroundTruthExport.Render(simulator.Simulation, "identity-map.csv"), ct);
            overrides["Sources:Directory:IdentityMapPath"] = identityMap;
        }

        await using var stopSimulator = simulator;

        var today = DateOnly.MinValue;
        var digestPath = string.Empty;
        using (var host = await WorkerHost.StartCliHostAsync(configArgs, ct, overrides))
        {
            var clock = Stopwatch.StartNew();
            await error.WriteLineAsync("demo: pulling the sources through the connectors (a second run only pulls what is new)...");
            var cycle = await host.Services.GetRequiredService<IngestionCycle>().RunAsync(
                new IngestionRequest { SyncProgress = new ProgressPrinter(error), RecomputeProgress = MetricsCli.RecomputeProgressPrinter(error) }, ct);
            foreach (var s in cycle.Sync.Sources)
            {
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"demo: {s.Source}: {(s.Succeeded ? "ok" : "FAILED: " + s.Error)}, {s.Pages:N0} pages, {s.EventsStored:N0} events, " +
                    $"{s.BadItemCount:N0} rejected items, {s.Unresolved:N0} unresolved"));
            }

            await MetricsCli.PrintRecomputedAsync(error, cycle.Recompute);
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"demo: backfill done in {clock.Elapsed.TotalSeconds:F0} s"));
            await PrintSummaryAsync(host, output, ct);
            today = host.Services.GetRequiredService<KpiRecomputer>().Today;
            var digests = host.Services.GetRequiredService<DigestService>();
            var (digest, html) = await digests.BuildAsync(digests.DefaultWeekEnd, ct);
            digestPath = await digests.WriteAsync(digest, html, Path.Combine(demo.StateDirectory, DigestService.FileName(digest.WeekEnd)), ct);
        }

        var settingsHint = $"--Journal:Path {Path.Combine(demo.StateDirectory, "journal.db")} --Influx:Url {influx.Url}" +
            (demo.NoSimulator ? string.Empty : $" --Kpi:TimeZone {simulatorOptions.TimeZone}");
        await output.WriteLineAsync($"""

            Weekly digest:       {digestPath}

            Where to look next:
              KPIs as a table:   dotnet run --project src/Metrics.Worker -- kpis --from {today.AddDays(-6):yyyy-MM-dd} --to {today:yyyy-MM-dd} {settingsHint}
              InfluxDB:          {influx.Url} (database 'metrics'; measurement 'kpi', see docs/schema.md){(influx.StartedHere ? "; started by the demo, it stops with it" : string.Empty)}
              Grafana boards:    docker compose up (see README.md) with grafana/ provisioning
              Service health:    {demo.Urls.TrimEnd('/')}/healthz{(demo.ExitAfterBackfill ? " (when the service runs)" : string.Empty)}
            """);

        if (demo.ExitAfterBackfill)
        {
            return MetricsCli.Ok;
        }

        await output.WriteLineAsync("The service keeps syncing the simulator and writing KPIs; press Ctrl-C to stop.");
        var app = WorkerHost.BuildWebApp([.. configArgs, "--urls", demo.Urls], overrides);
        await app.RunAsync(ct);
        return MetricsCli.Ok;
    }

    /// <summary>The latest day: the org and the five departments with the highest 28-day AI usage rate.</summary>
    private static async Task PrintSummaryAsync(IHost host, TextWriter output, CancellationToken ct)
    {
        var day = host.Services.GetRequiredService<KpiRecomputer>().Today;
        var byGroup = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        await foreach (var p in host.Services.GetRequiredService<IKpiStore>().ReadAsync(day, day, null, ct))
        {
            if (p.Tool is not null)
            {
                continue;
            }

            var group = p.Department ?? "(org)";
            if (!byGroup.TryGetValue(group, out var values))
            {
                values = new Dictionary<string, double>(StringComparer.Ordinal);
                byGroup[group] = values;
            }

            values[p.Kpi + "/" + p.Window] = p.Value;
        }

        if (!byGroup.TryGetValue("(org)", out var org))
        {
            await output.WriteLineAsync($"No KPIs stored for {day:yyyy-MM-dd}.");
            return;
        }

        string Pct(Dictionary<string, double> v, string key) =>
            v.TryGetValue(key, out var x) ? x.ToString("P0", CultureInfo.InvariantCulture).Replace(" ", string.Empty, StringComparison.Ordinal) : "-";
        string Num(Dictionary<string, double> v, string key) =>
            v.TryGetValue(key, out var x) ? x.ToString("N0", CultureInfo.InvariantCulture) : "-";

        await output.WriteLineAsync($"KPIs for {day:yyyy-MM-dd} (the org and the top departments by 28-day AI usage):");
        await output.WriteLineAsync($"{"group",-24} {"people",7} {"AI use 28d",11} {"proposers",10} {"bottom-up",10} {"AI decisions",13} {"trained",8} {"x-dept proj",12}");
        var rows = new[] { ("(org)", org) }
            .Concat(byGroup.Where(g => g.Key != "(org)")
                .OrderByDescending(g => g.Value.GetValueOrDefault("ai_usage_rate/28d"))
                .ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(5)
                .Select(g => (g.Key, g.Value)));
        foreach (var (group, v) in rows)
        {
            await output.WriteLineAsync(
                $"{group,-24} {Num(v, "headcount/day"),7} {Pct(v, "ai_usage_rate/28d"),11} {Pct(v, "proposer_rate/28d"),10} {Pct(v, "bottom_up_share/28d"),10} " +
                $"{Pct(v, "ai_decision_coverage/28d"),13} {Pct(v, "training_completion_rate/day"),8} {Num(v, "cross_department_projects/day"),12}");
        }
    }

    private sealed class ProgressPrinter(TextWriter error) : IProgress<SyncProgress>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _last = TimeSpan.Zero;

        public void Report(SyncProgress value)
        {
            if (_clock.Elapsed - _last < TimeSpan.FromSeconds(1))
            {
                return;
            }

            _last = _clock.Elapsed;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"demo: {value.Source}: {value.Pages:N0} pages, {value.Events:N0} events ({value.EventsPerSecond:N0} events/s)"));
        }
    }

    /// <summary>An InfluxDB for the demo: the one given, the one already on the default port, or a local influxd started here.</summary>
    private sealed class LocalInflux : IAsyncDisposable
    {
        private Process? _process;

        public string Url { get; private init; } = DefaultInfluxUrl;

        /// <summary>Whether this command started the influxd (and stops it when it ends).</summary>
        public bool StartedHere => _process is not null;

        public static async Task<LocalInflux> EnsureAsync(string? configured, string stateDirectory, TextWriter error, CancellationToken ct)
        {
            if (configured is not null)
            {
                if (!await PingAsync(configured, ct))
                {
                    throw new CliException($"--influx-url {configured} does not answer /ping");
                }

                return new LocalInflux { Url = configured };
            }

            if (await PingAsync(DefaultInfluxUrl, ct))
            {
                await error.WriteLineAsync($"demo: using the InfluxDB already running at {DefaultInfluxUrl}");
                return new LocalInflux { Url = DefaultInfluxUrl };
            }

            var influxd = await EnsureInstalledAsync(error, ct);
            var port = IsFree(8086) ? 8086 : FreePort();
            var directory = Path.Combine(stateDirectory, "influxdb");
            Directory.CreateDirectory(directory);
            var config = Path.Combine(directory, "influxdb.conf");
            await File.WriteAllTextAsync(config, $"""
                reporting-disabled = true
                bind-address = "127.0.0.1:0"
                [meta]
                  dir = "{Path.Combine(directory, "meta")}"
                [data]
                  dir = "{Path.Combine(directory, "data")}"
                  wal-dir = "{Path.Combine(directory, "wal")}"
                  query-log-enabled = false
                [http]
                  bind-address = "127.0.0.1:{port}"
                  log-enabled = false
                [monitor]
                  store-enabled = false
                """, ct);
            var start = new ProcessStartInfo(influxd) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("-config");
            start.ArgumentList.Add(config);
            var process = Process.Start(start) ?? throw new CliException($"could not start {influxd}");
            var log = Path.Combine(directory, "influxd.log");
            _ = CopyAsync(process.StandardError, log);
            _ = CopyAsync(process.StandardOutput, log + ".out");
            var local = new LocalInflux { Url = $"http://127.0.0.1:{port}", _process = process };
            var clock = Stopwatch.StartNew();
            while (!await PingAsync(local.Url, ct))
            {
                if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    await local.DisposeAsync();
                    throw new CliException($"the local influxd did not come up; see {log}");
                }

                await Task.Delay(200, ct);
            }

            await error.WriteLineAsync($"demo: started a local InfluxDB at {local.Url} with its data in {directory}");
            return local;
        }

        public async ValueTask DisposeAsync()
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process?.Dispose();
        }

        private static async Task<string> EnsureInstalledAsync(TextWriter error, CancellationToken ct)
        {
            foreach (var candidate in new[] { "/usr/bin/influxd", "/usr/local/bin/influxd" })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
            {
                throw new CliException("no InfluxDB is reachable and influxd is not installed: run 'sudo apt-get install -y influxdb', or pass --influx-url");
            }

            await error.WriteLineAsync("demo: installing InfluxDB (apt-get install influxdb)...");
            foreach (var args in new[] { "update -qq", "install -y -qq --no-install-recommends influxdb" })
            {
                var start = new ProcessStartInfo("apt-get", args) { UseShellExecute = false };
                start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
                using var apt = Process.Start(start) ?? throw new CliException("could not run apt-get");
                await apt.WaitForExitAsync(ct);
                if (apt.ExitCode != 0)
                {
                    throw new CliException($"apt-get {args} failed with exit code {apt.ExitCode}");
                }
            }

            return File.Exists("/usr/bin/influxd") ? "/usr/bin/influxd" : throw new CliException("apt-get installed influxdb but /usr/bin/influxd is missing");
        }

        private static async Task<bool> PingAsync(string url, CancellationToken ct)
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            try
            {
                using var response = await http.GetAsync(new Uri(url.TrimEnd('/') + "/ping"), ct);
                return response.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }

        private static bool IsFree(int port)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static async Task CopyAsync(StreamReader from, string path)
        {
            await using var to = new StreamWriter(path, append: true);
            while (await from.ReadLineAsync() is { } line)
            {
                await to.WriteLineAsync(line);
            }
        }
    }
}
