using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Xunit;

namespace Metrics.Testing;

/// <summary>One exported series of VictoriaMetrics: its labels (with <c>__name__</c>), values and timestamps in milliseconds.</summary>
public sealed record VictoriaMetricsSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<double> Values, IReadOnlyList<long> Timestamps);

/// <summary>
/// A real VictoriaMetrics (<c>/usr/bin/victoria-metrics</c>, Debian package <c>victoria-metrics</c>) on a free loopback
/// port. It ingests InfluxDB line protocol on <c>/write</c> and <c>/api/v2/write</c> as metric <c>{measurement}_{field}</c>
/// with the tags as labels. Retention is long so back-dated KPI points are kept. VictoriaMetrics keeps 12 significant
/// decimal digits of a value, so compare values at that precision.
/// </summary>
public class VictoriaMetricsProcess : ServerProcess
{
    public const string Executable = "/usr/bin/victoria-metrics";

    public VictoriaMetricsProcess()
        : base("victoria-metrics", Executable, "victoria-metrics")
    {
    }

    /// <summary>
    /// Flushes ingested rows to searchable storage, then reads <c>/api/v1/export?match[]=…</c> over all time.
    /// </summary>
    /// <param name="match">A series selector, e.g. <c>kpi_value</c> or <c>{__name__="kpi_value",scope="org"}</c>.</param>
    public async Task<IReadOnlyList<VictoriaMetricsSeries>> ExportAsync(string match, CancellationToken cancellationToken = default)
    {
        // The status is not checked: builds without the endpoint are covered by polling in WaitForExportAsync.
        (await Http.GetAsync(new Uri($"{Url}/internal/force_flush"), cancellationToken)).Dispose();

        var uri = new Uri($"{Url}/api/v1/export?match[]={Uri.EscapeDataString(match)}&start=0");
        using var response = await Http.GetAsync(uri, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"victoria-metrics answered {(int)response.StatusCode} to export of '{match}': {body}", null, response.StatusCode);
        }

        var series = new List<VictoriaMetricsSeries>();
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var labels = root.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
            var values = root.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToList();
            var timestamps = root.GetProperty("timestamps").EnumerateArray().Select(v => v.GetInt64()).ToList();
            series.Add(new VictoriaMetricsSeries(labels, values, timestamps));
        }

        return series;
    }

    /// <summary>Exports until <paramref name="until"/> holds (data may take a moment to become searchable) or the timeout passes; returns the last export.</summary>
    public async Task<IReadOnlyList<VictoriaMetricsSeries>> WaitForExportAsync(
        string match, Func<IReadOnlyList<VictoriaMetricsSeries>, bool> until, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(until);
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var series = await ExportAsync(match, cancellationToken);
            if (until(series) || clock.Elapsed > limit)
            {
                return series;
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    protected override IEnumerable<string> Arguments(string directory, int port) =>
    [
        $"-httpListenAddr=127.0.0.1:{port}",
        $"-storageDataPath={Path.Combine(directory, "data")}",
        "-retentionPeriod=100y",
        "-search.latencyOffset=0s",
        "-search.disableCache",
        // As recommended for KPI storage (docs/schema.md): a rewrite with the same timestamp replaces the sample
        // instead of adding a duplicate next to it.
        "-dedup.minScrapeInterval=1ms",
        "-loggerLevel=WARN",
    ];

    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(new Uri($"{Url}/health"), cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }
}

/// <summary><see cref="VictoriaMetricsProcess"/> as an xunit class or collection fixture.</summary>
public sealed class VictoriaMetricsFixture : VictoriaMetricsProcess, IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
