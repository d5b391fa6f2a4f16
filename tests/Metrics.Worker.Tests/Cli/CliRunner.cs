using Metrics.Core.Kpis;
using System.Globalization;
using System.Text.Json;
using Metrics.Testing;
using Metrics.Testing.Golden;
using Metrics.Worker.Cli;

namespace Metrics.Worker.Tests.Cli;

public sealed record CliResult(int ExitCode, string Output, string Error);

public sealed record ExportedPoint(DateOnly Date, string? Department, string Kpi, string Window, double Value, string? Tool = null);

/// <summary>Runs the real command line in-process against a temp journal and a real InfluxDB.</summary>
public sealed class CliRunner : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metrics-cli-" + Guid.NewGuid().ToString("N"));

    public CliRunner(string influxUrl, string database, string api = "v1", IEnumerable<string>? extra = null)
    {
        Directory.CreateDirectory(_directory);
        Database = database;
        JournalPath = Path.Combine(_directory, "journal.db");
        Settings =
        [
            "--Journal:Path", JournalPath,
            "--Influx:Url", influxUrl,
            "--Influx:Api", api,
            "--Influx:Database", database,
            "--Influx:Bucket", database,
            "--Kpi:TimeZone", GoldenCompany.TimeZone,
            "--Kpi:MinimumGroupSize", GoldenCompany.MinimumGroupSize.ToString(CultureInfo.InvariantCulture),
            .. extra ?? [],
        ];
    }

    public string WorkDirectory => _directory;

    public string Database { get; }

    public string JournalPath { get; }

    public IReadOnlyList<string> Settings { get; }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await MetricsCli.Build(output, error).Parse([.. args, .. Settings]).InvokeAsync();
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public async Task<List<ExportedPoint>> ExportAsync(DateOnly from, DateOnly to)
    {
        var result = await RunAsync("kpis", "--from", $"{from:yyyy-MM-dd}", "--to", $"{to:yyyy-MM-dd}", "--format", "jsonl");
        Assert.True(result.ExitCode == 0, result.Error);
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseLine).ToList();
    }

    public static ExportedPoint ParseLine(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        var tool = r.TryGetProperty("tool", out var t) ? t.GetString() : null;
        // The contract's members in its order; only the per-tool extension KPIs add "tool" before the value.
        Assert.Equal(tool is null ? ["date", "department", "kpi", "window", "value"] : ["date", "department", "kpi", "window", "tool", "value"],
            r.EnumerateObject().Select(p => p.Name));
        var kpi = r.GetProperty("kpi").GetString()!;
        Assert.Equal(KpiCatalog.Find(kpi)?.ComputeByTool is not null, tool is not null);
        return new ExportedPoint(
            DateOnly.ParseExact(r.GetProperty("date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            r.GetProperty("department").ValueKind == JsonValueKind.Null ? null : r.GetProperty("department").GetString(),
            kpi,
            r.GetProperty("window").GetString()!,
            r.GetProperty("value").GetDouble(),
            tool);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp dir left behind is harmless; failing the test over it would hide the real result.
        }
    }
}
