using Metrics.Simulator;
using Metrics.Simulator.Export;
using Metrics.Simulator.Hosting;
using Metrics.Testing;

namespace Metrics.Worker.Tests.Cli;

/// <summary>
/// Simulator -> real connectors over HTTP -> journal -> KPIs in a real InfluxDB, against the simulator's exported
/// ground truth imported into a second database. The connectors' mapping is proved end to end when both agree.
/// </summary>
public sealed class SimulatorEndToEndTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    [Fact]
    public async Task SyncOnce_SmallCompany_EveryKpiEqualsTheGroundTruthImport()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Employees = 60, Days = 60, Seed = 7 });
        using var imported = new CliRunner(influx.Url, influx.NewDatabase(), extra: ["--Kpi:MinimumGroupSize", "5"]);
        var truth = Path.Combine(imported.WorkDirectory, "truth");
        await GroundTruthExport.WriteAsync(simulator.Simulation, truth, CancellationToken.None);
        string Truth(string file) => Path.Combine(truth, file);
        // The identity map links GitHub logins to people: read by the directory sync on one path, imported on the other.
        var settings = simulator.ConnectorSettings().SelectMany(kv => new[] { "--" + kv.Key, kv.Value }).ToList();
        using var pulled = new CliRunner(influx.Url, influx.NewDatabase(),
            extra: [.. settings, "--Sources:Directory:IdentityMapPath", Truth("identity-map.csv"), "--Kpi:MinimumGroupSize", "5"]);

        // Through the connectors. Exit code 2: the simulator serves a few malformed items, which must be rejected.
        var sync = await pulled.RunAsync("sync", "--once");
        Assert.True(sync.ExitCode == 2, $"exit {sync.ExitCode}\n{sync.Output}\n{sync.Error}");
        Assert.DoesNotContain("FAILED", sync.Output, StringComparison.Ordinal);
        // Difference 1 (named in the simulator's expected-differences): a directory provider only knows today's org,
        // so the effective-dated history (hires, leavers, the reorg) and the course catalog come from the HR export on
        // both paths. Everything the connectors pull (events, identities) is compared.
        var history = await pulled.RunAsync("import", "--directory", Truth("directory.csv"), "--courses", Truth("courses.csv"));
        Assert.True(history.ExitCode == 0, history.Error);

        var load = await imported.RunAsync("import", "--directory", Truth("directory.csv"), "--courses", Truth("courses.csv"),
            "--events", Truth("events.jsonl"), "--identities", Truth("identity-map.csv"));
        Assert.True(load.ExitCode == 0, load.Error);
        Assert.Matches(@"identities [1-9]\d* \(0 rejected\)", load.Output);

        var (first, end) = simulator.Options.Range(TimeProvider.System);
        var fromConnectors = await pulled.ExportAsync(first, end);
        var fromTruth = await imported.ExportAsync(first, end);

        Assert.True(fromTruth.Count > 1000, $"only {fromTruth.Count} points from the ground truth");
        // The data-health board's source_health points: one per attempted source, healthy, with the rejected items.
        var health = await influx.QueryAsync(pulled.Database, "SELECT \"events\", \"unresolved\", \"rejected\", \"failures\", \"last_success\" FROM \"source_health\" GROUP BY \"source\"");
        foreach (var source in new[] { "directory", "lms", "lowcode", "ticketing", "m365copilot", "githubcopilot" })
        {
            Assert.Contains($"\"source\":\"{source}\"", health, StringComparison.Ordinal);
        }

        Assert.DoesNotMatch(@"""failures"",[^\]]*\[\d+,[^\]]*,[1-9]", health);
        var truthByKey = fromTruth.ToDictionary(p => (p.Date, p.Department, p.Kpi, p.Window, p.Tool), p => p.Value);
        var mismatches = fromConnectors
            .Where(p => !truthByKey.TryGetValue((p.Date, p.Department, p.Kpi, p.Window, p.Tool), out var v) || Math.Abs(v - p.Value) > 1e-9)
            .Select(p => $"{p} (truth: {(truthByKey.TryGetValue((p.Date, p.Department, p.Kpi, p.Window, p.Tool), out var v) ? v : "absent")})")
            .ToList();
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} differences, e.g.\n{string.Join("\n", mismatches.Take(10))}");
        Assert.Equal(fromTruth.Count, fromConnectors.Count);
        // AI use by tool: the simulated AI tools land in their own buckets, not in "other"; GitHub Copilot's seats count
        // through the identity map.
        var tools = fromConnectors.Where(p => p.Tool is not null && p.Value > 0).Select(p => p.Tool!).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain("other", tools);
        string[] simulated = ["n8n", "jira", "chat", "teams", "word", "excel", "github-copilot"];
        Assert.True(simulated.All(tools.Contains), $"tools with users: {string.Join(", ", tools)}");
    }
}
