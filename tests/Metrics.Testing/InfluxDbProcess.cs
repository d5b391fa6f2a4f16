using System.Globalization;
using System.Net;
using System.Text;
using Xunit;

namespace Metrics.Testing;

/// <summary>
/// A real InfluxDB 1.x (<c>/usr/bin/influxd</c>, Debian package <c>influxdb</c>) with its own config, data and port.
/// Every listener is on loopback and the RPC port is chosen by the OS, so several instances run side by side.
/// </summary>
public class InfluxDbProcess : ServerProcess
{
    public const string Executable = "/usr/bin/influxd";

    private int _databases;

    public InfluxDbProcess()
        : base("influxd", Executable, "influxdb")
    {
    }

    /// <summary>A database name not used before on this server (the database itself is not created).</summary>
    public string NewDatabase() => $"test_{Interlocked.Increment(ref _databases)}";

    /// <summary>Runs InfluxQL through <c>POST /query</c> (so writes like CREATE and DELETE work too) and returns the raw JSON.</summary>
    /// <param name="database">The <c>db</c> parameter; null for server-wide statements.</param>
    public async Task<string> QueryAsync(string? database, string influxql, CancellationToken cancellationToken = default)
    {
        var form = new List<KeyValuePair<string, string>> { new("q", influxql), new("epoch", "s") };
        if (database is not null)
        {
            form.Add(new("db", database));
        }

        using var content = new FormUrlEncodedContent(form);
        using var response = await Http.PostAsync(new Uri($"{Url}/query"), content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"influxd answered {(int)response.StatusCode} to '{influxql}': {body}", null, response.StatusCode);
        }

        return body;
    }

    protected override void Prepare(string directory, int port)
    {
        // TOML basic strings: escape backslash and quote in paths.
        static string Toml(string path) => "\"" + path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

        var config = new StringBuilder()
            .AppendLine("reporting-disabled = true")
            .AppendLine("bind-address = \"127.0.0.1:0\"")
            .AppendLine("[meta]")
            .AppendLine(CultureInfo.InvariantCulture, $"  dir = {Toml(Path.Combine(directory, "meta"))}")
            .AppendLine("[data]")
            .AppendLine(CultureInfo.InvariantCulture, $"  dir = {Toml(Path.Combine(directory, "data"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"  wal-dir = {Toml(Path.Combine(directory, "wal"))}")
            .AppendLine("  query-log-enabled = false")
            .AppendLine("[http]")
            .AppendLine(CultureInfo.InvariantCulture, $"  bind-address = \"127.0.0.1:{port}\"")
            .AppendLine("  log-enabled = false")
            .AppendLine("[monitor]")
            .AppendLine("  store-enabled = false")
            .AppendLine("[continuous_queries]")
            .AppendLine("  enabled = false")
            .AppendLine("[subscriber]")
            .AppendLine("  enabled = false")
            .ToString();
        File.WriteAllText(ConfigPath(directory), config);
    }

    protected override IEnumerable<string> Arguments(string directory, int port) => ["-config", ConfigPath(directory)];

    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(new Uri($"{Url}/ping"), cancellationToken);
        return response.StatusCode == HttpStatusCode.NoContent;
    }

    private static string ConfigPath(string directory) => Path.Combine(directory, "influxdb.conf");
}

/// <summary><see cref="InfluxDbProcess"/> as an xunit class or collection fixture: started before the tests, removed after.</summary>
public sealed class InfluxDbFixture : InfluxDbProcess, IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
