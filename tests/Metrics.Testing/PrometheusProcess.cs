using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Metrics.Testing;

/// <summary>
/// A real Prometheus (<c>/usr/bin/prometheus</c>, Debian package <c>prometheus</c>) on a free loopback port with a
/// temp TSDB, scraping one target every second, so a test reads back through the HTTP API what the target exposed.
/// </summary>
public sealed class PrometheusProcess : ServerProcess
{
    public const string Executable = "/usr/bin/prometheus";

    private readonly string _target;
    private readonly string _job;
    private readonly string _metricsPath;

    /// <param name="target">host:port of the scraped service.</param>
    /// <param name="job">The <c>job</c> label of the scraped series.</param>
    /// <param name="metricsPath">The scraped path.</param>
    public PrometheusProcess(string target, string job, string metricsPath = "/metrics")
        : base("prometheus", Executable, "prometheus")
    {
        _target = target;
        _job = job;
        _metricsPath = metricsPath;
    }

    /// <summary>Runs an instant PromQL query and returns each series of the vector as its labels and value.</summary>
    public async Task<IReadOnlyList<PromSample>> QueryAsync(string promql, CancellationToken cancellationToken = default)
    {
        var url = new Uri($"{Url}/api/v1/query?query={Uri.EscapeDataString(promql)}");
        using var response = await Http.GetAsync(url, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"prometheus answered {(int)response.StatusCode} to '{promql}': {body}", null, response.StatusCode);
        }

        using var doc = JsonDocument.Parse(body);
        var data = doc.RootElement.GetProperty("data");
        if (data.GetProperty("resultType").GetString() != "vector")
        {
            throw new InvalidOperationException($"'{promql}' is not an instant vector query: {body}");
        }

        var samples = new List<PromSample>();
        foreach (var item in data.GetProperty("result").EnumerateArray())
        {
            var labels = item.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
            var value = double.Parse(item.GetProperty("value")[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
            samples.Add(new PromSample(labels, value));
        }

        return samples;
    }

    protected override void Prepare(string directory, int port)
    {
        // Scrape every second so a test sees a cycle's effect quickly; the target is plain HTTP on loopback.
        var config = new StringBuilder()
            .AppendLine("global:")
            .AppendLine("  scrape_interval: 1s")
            .AppendLine("  evaluation_interval: 1s")
            .AppendLine("scrape_configs:")
            .AppendLine(CultureInfo.InvariantCulture, $"  - job_name: \"{_job}\"")
            .AppendLine(CultureInfo.InvariantCulture, $"    metrics_path: \"{_metricsPath}\"")
            .AppendLine("    static_configs:")
            .AppendLine(CultureInfo.InvariantCulture, $"      - targets: [\"{_target}\"]")
            .ToString();
        File.WriteAllText(Path.Combine(directory, "prometheus.yml"), config);
    }

    protected override IEnumerable<string> Arguments(string directory, int port) =>
    [
        "--config.file=" + Path.Combine(directory, "prometheus.yml"),
        "--storage.tsdb.path=" + Path.Combine(directory, "data"),
        $"--web.listen-address=127.0.0.1:{port}",
        "--log.level=warn",
    ];

    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(new Uri($"{Url}/-/ready"), cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }
}

/// <summary>One series of an instant query: its labels (with <c>__name__</c>) and value.</summary>
public sealed record PromSample(IReadOnlyDictionary<string, string> Labels, double Value)
{
    public override string ToString() => "{" + string.Join(", ", Labels.Select(l => $"{l.Key}=\"{l.Value}\"")) + "} " + Value.ToString(CultureInfo.InvariantCulture);
}
