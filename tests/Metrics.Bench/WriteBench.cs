using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Metrics.Core.Directory;
using Metrics.Core.Kpis;
using Metrics.Influx;
using Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Metrics.Bench;

/// <summary>
/// The KPI write alone, without the engine: the same points (computed once into memory) written by the store and
/// POSTed as raw line protocol, rounds interleaved, each with its wall clock, this process's CPU and influxd's CPU.
/// </summary>
public static class WriteBench
{
    private static readonly DateOnly Start = new(2025, 1, 1);

    public static async Task RunAsync(int people, long events, int days, int rounds, TextWriter output)
    {
        var options = new KpiOptions { TimeZone = "Europe/Berlin" };
        var zone = options.ResolveTimeZone();
        var to = Start.AddDays(days - 1);
        var points = new KpiEngine(options)
            .Compute(RecomputeBench.Events(people, events, days), RecomputeBench.Directory(people), new CourseCatalog([new Course("ai-basics", Levels.All)]), Start, to)
            .ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{points.Count:N0} KPI points of {people:N0} people over {days} days"));

        var bodies = points.Chunk(5000).Select(chunk => Encoding.UTF8.GetBytes(string.Concat(chunk.Select(p => PathBench.LineProtocol(p, zone))))).ToList();

        await using var influx = new InfluxDbProcess();
        await influx.StartAsync();
        var influxd = FindServer(influx.DataDirectory);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        for (var round = 1; round <= rounds; round++)
        {
            await MeasureAsync(output, $"raw POST 5,000/request, 52w shards #{round}", points.Count, influxd, async () =>
            {
                var db = $"raw_{round}";
                await influx.QueryAsync(null, $"CREATE DATABASE {db} WITH SHARD DURATION 52w");
                foreach (var body in bodies)
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
                    using var response = await http.PostAsync(new Uri($"{influx.Url}/write?db={db}&precision=s"), content);
                    response.EnsureSuccessStatusCode();
                }
            });

            await MeasureAsync(output, $"store v1, from memory #{round}", points.Count, influxd, async () =>
            {
                var influxOptions = Microsoft.Extensions.Options.Options.Create(new InfluxOptions { Url = influx.Url, Api = InfluxOptions.ApiV1, Database = $"store_{round}" });
                using var store = new InfluxKpiStore(influxOptions, Microsoft.Extensions.Options.Options.Create(options), http, NullLogger<InfluxKpiStore>.Instance);
                await store.EnsureReadyAsync();
                await store.ReplaceRangeAsync(Start, to, points);
            });
        }
    }

    private static async Task MeasureAsync(TextWriter output, string what, int points, int? influxd, Func<Task> run)
    {
        var cpu = Cpu();
        var serverCpu = ServerCpu(influxd);
        var clock = Stopwatch.StartNew();
        await run();
        var wall = clock.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-44} {wall,6:F2} s  {points / wall,10:N0} points/s  CPU here {(Cpu() - cpu).TotalSeconds,5:F2} s, influxd {(ServerCpu(influxd) - serverCpu).TotalSeconds,5:F2} s"));
    }

    private static TimeSpan Cpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>The influxd serving <paramref name="dataDirectory"/>: the one whose command line names its config there.</summary>
    private static int? FindServer(string dataDirectory)
    {
        foreach (var dir in System.IO.Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(dataDirectory, StringComparison.Ordinal))
                    {
                        return pid;
                    }
                }
                catch (IOException)
                {
                }
            }
        }

        return null;
    }

    /// <summary>User + system CPU of a process from /proc/pid/stat (clock ticks of 100 Hz).</summary>
    private static TimeSpan ServerCpu(int? pid)
    {
        if (pid is null)
        {
            return TimeSpan.Zero;
        }

        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }
}
