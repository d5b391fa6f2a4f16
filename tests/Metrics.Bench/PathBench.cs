using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Metrics.Core.Directory;
using Metrics.Core.Kpis;
using Metrics.Grafana.Tests.Infrastructure;
using Metrics.Influx;
using Metrics.Journal;
using Metrics.Testing;
using Metrics.Worker.Application;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Metrics.Bench;

/// <summary>One stage of the user path: what it did, how fast, the limit measured in the same run, and its own peak RSS.</summary>
public sealed record StageResult(string Stage, long Work, string Unit, TimeSpan Elapsed, double? LimitRate, string LimitWhat, long PeakMiB)
{
    /// <summary>This process's CPU time in the stage (both cores count): on a shared machine it says more than the wall clock.</summary>
    public TimeSpan Cpu { get; init; }

    public double Rate => Work / Elapsed.TotalSeconds;

    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"{Stage,-26} {Work,12:N0} {Unit,-7} {Elapsed.TotalSeconds,8:F1} s (CPU {Cpu.TotalSeconds,6:F1} s) {Rate,12:N0}/s  limit {(LimitRate is { } l ? l.ToString("N0", CultureInfo.InvariantCulture) + "/s" : "-"),12} ({LimitWhat}){(LimitRate is { } r ? $"  ratio {Rate / r,6:P0}" : "")}  peak RSS {PeakMiB:N0} MiB");
}

/// <summary>
/// The whole user path at a chosen scale, each stage next to the limit measured in the same run: canonical import
/// (limit: parsing the same file), journal stream into the engine (limit: the stream alone), recompute into a real
/// InfluxDB (limit: POSTing the same points as raw line protocol), and every board query over the stored year.
/// </summary>
public sealed class PathBench(BenchCompany company, TextWriter output)
{
    public const int PullPeople = 1000;

    private readonly List<StageResult> _stages = [];

    public IReadOnlyList<StageResult> Stages => _stages;

    public async Task RunAsync()
    {
        var directory = Directory.CreateTempSubdirectory("metrics-bench-");
        try
        {
            var (events, people, courses) = WriteCompany(directory.FullName);

            using var journal = new SqliteEventJournal(Path.Combine(directory.FullName, "journal.db"));
            await ImportAsync(journal, events, people, courses);
            await PullAsync(directory.FullName);
            await EngineAsync(journal);

            await using var influx = new InfluxDbProcess();
            await influx.StartAsync();
            await RecomputeAsync(journal, influx);
            await QueriesAsync(influx);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The import stage alone (<c>import</c> mode): the same company file, the JsonDocument limit, the importer's own
    /// parser over the file without storing (what a pipelined import could reach at best on one thread), and the import.
    /// </summary>
    public async Task ImportOnlyAsync()
    {
        var directory = Directory.CreateTempSubdirectory("metrics-bench-");
        try
        {
            var (events, people, courses) = WriteCompany(directory.FullName);

            var clock = Begin();
            var parsed = 0L;
            // The importer's own path: the file's UTF-8 bytes, line by line, no string per line.
            using (var file = File.OpenRead(events))
            {
                foreach (var (_, result) in CanonicalImporter.ParseEventLines(file, new KpiOptions().TimeRange, TimeProvider.System))
                {
                    parsed += result.IsValid ? 1 : 0;
                }
            }

            Report(new StageResult("importer's parser alone", parsed, "events", clock.Elapsed, null, "-", PeakMemory.PeakMiB()));

            using var journal = new SqliteEventJournal(Path.Combine(directory.FullName, "journal.db"));
            await ImportAsync(journal, events, people, courses);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private (string Events, string People, string Courses) WriteCompany(string directory)
    {
        var events = Path.Combine(directory, "events.jsonl");
        var people = Path.Combine(directory, "directory.csv");
        var courses = Path.Combine(directory, "courses.csv");
        var clock = Stopwatch.StartNew();
        company.WriteDirectory(people);
        BenchCompany.WriteCourses(courses);
        company.WriteEvents(events);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"company: {company.People:N0} people, {company.EventCount:N0} events over {company.Days} days in random order ({new FileInfo(events).Length / (1024 * 1024):N0} MiB of JSON Lines, written in {clock.Elapsed.TotalSeconds:F0} s)"));
        return (events, people, courses);
    }

    private TimeSpan _cpuAtStart;

    /// <summary>Starts a measured stage: its peak RSS and CPU time count from here.</summary>
    private Stopwatch Begin()
    {
        PeakMemory.Reset();
        _cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        return Stopwatch.StartNew();
    }

    private void Report(StageResult stage)
    {
        stage = stage with { Cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpuAtStart };
        _stages.Add(stage);
        output.WriteLine(stage.Format());
    }

    private async Task ImportAsync(SqliteEventJournal journal, string events, string people, string courses)
    {
        // The limit: reading the same lines with JsonDocument and the six fields a canonical event needs.
        PeakMemory.Reset();
        var clock = Stopwatch.StartNew();
        var lines = 0L;
        foreach (var line in File.ReadLines(events))
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            _ = root.GetProperty("source").GetString();
            _ = root.GetProperty("id").GetString();
            _ = root.GetProperty("type").GetString();
            _ = root.GetProperty("time").GetDateTimeOffset();
            _ = root.GetProperty("person").GetString();
            _ = root.GetProperty("attributes").GetRawText();
            lines++;
        }

        var parseRate = lines / clock.Elapsed.TotalSeconds;

        clock = Begin();
        var rejected = 0L;
        var report = await new CanonicalImporter(journal, Microsoft.Extensions.Options.Options.Create(new Metrics.Core.Kpis.KpiOptions()), TimeProvider.System).ImportAsync(events, people, courses, _ => rejected++);
        Report(new StageResult("import --no-recompute", report.EventsAccepted, "events", clock.Elapsed, parseRate, "JsonDocument parse of the same file", PeakMemory.PeakMiB()));
        if (rejected > 0)
        {
            throw new InvalidOperationException($"{rejected} generated lines were rejected");
        }
    }

    private async Task PullAsync(string directory)
    {
        // The simulator's own company over the same days, its story rather than the import file's events, and at most
        // PullPeople people: the simulator serves from memory in this process, so a larger company measures it, not the pull.
        var clock = Begin();
        var pull = await PullBench.RunAsync(Math.Min(company.People, PullPeople), company.Days, directory);
        Report(new StageResult("source pull (4 connectors)", pull.Events, "events", pull.Elapsed, pull.LimitEventsPerSecond, "JsonDocument parse of the same pages", PeakMemory.PeakMiB()));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {pull.Pages:N0} pages over loopback HTTP; their parse alone: {pull.LimitPagesPerSecond:N0} pages/s; stage wall clock with the simulator's start {clock.Elapsed.TotalSeconds:F1} s"));
    }

    private async Task EngineAsync(SqliteEventJournal journal)
    {
        var engine = new KpiEngine(Options());
        var (full, end) = engine.StreamBounds(BenchCompany.Start, company.To);

        PeakMemory.Reset();
        var clock = Stopwatch.StartNew();
        var streamed = 0L;
        await foreach (var _ in journal.StreamAsync(full, end))
        {
            streamed++;
        }

        var streamRate = streamed / clock.Elapsed.TotalSeconds;

        clock = Begin();
        var directory = OrgDirectory.Build(await journal.LoadDirectoryAsync(), await journal.LoadIdentitiesAsync());
        var catalog = new CourseCatalog(await journal.LoadCoursesAsync());
        var stats = new ComputeStats();
        var points = 0L;
        foreach (var _ in engine.Compute(journal.StreamAsync(full, end).ToBlockingEnumerable(), directory, catalog, BenchCompany.Start, company.To, stats))
        {
            points++;
        }

        Report(new StageResult("journal stream -> engine", stats.EventsRead, "events", clock.Elapsed, streamRate, "journal stream alone", PeakMemory.PeakMiB()));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {points:N0} KPI points"));
    }

    private async Task RecomputeAsync(SqliteEventJournal journal, InfluxDbProcess influx)
    {
        // The limit: the same points as raw line protocol, POSTed in batches of the store's size to a database of their own.
        var engine = new KpiEngine(Options());
        var (full, end) = engine.StreamBounds(BenchCompany.Start, company.To);
        var directory = OrgDirectory.Build(await journal.LoadDirectoryAsync(), await journal.LoadIdentitiesAsync());
        var catalog = new CourseCatalog(await journal.LoadCoursesAsync());
        var zone = TimeZoneInfo.FindSystemTimeZoneById(BenchCompany.TimeZone);
        var lineFile = Path.Combine(influx.DataDirectory, "raw.lp");
        var lines = 0L;
        await using (var writer = new StreamWriter(lineFile, false, new UTF8Encoding(false), 1 << 16))
        {
            foreach (var p in engine.Compute(journal.StreamAsync(full, end).ToBlockingEnumerable(), directory, catalog, BenchCompany.Start, company.To))
            {
                await writer.WriteAsync(LineProtocol(p, zone));
                lines++;
            }
        }

        // The shard duration the store gives its own database: year-long shard groups take points 10-20 % cheaper than 7-day ones.
        await influx.QueryAsync(null, $"CREATE DATABASE raw WITH SHARD DURATION {InfluxKpiStore.ShardDuration}");
        PeakMemory.Reset();
        var clock = Stopwatch.StartNew();
        var batch = new StringBuilder();
        var inBatch = 0;
        foreach (var line in File.ReadLines(lineFile))
        {
            batch.Append(line).Append('\n');
            if (++inBatch == 5000)
            {
                await PostAsync(influx, batch);
                inBatch = 0;
            }
        }

        await PostAsync(influx, batch);
        var rawRate = lines / clock.Elapsed.TotalSeconds;
        File.Delete(lineFile);

        clock = Begin();
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var influxOptions = Microsoft.Extensions.Options.Options.Create(new InfluxOptions { Url = influx.Url, Api = InfluxOptions.ApiV1, Database = "metrics" });
        using var store = new InfluxKpiStore(influxOptions, Microsoft.Extensions.Options.Options.Create(Options()), http, NullLogger<InfluxKpiStore>.Instance);
        await store.EnsureReadyAsync();
        var recomputer = new KpiRecomputer(journal, store, Microsoft.Extensions.Options.Options.Create(Options()), TimeProvider.System, NullLogger<KpiRecomputer>.Instance);
        var result = await recomputer.RecomputeAsync(BenchCompany.Start, company.To);
        Report(new StageResult("recompute -> InfluxDB", result.PointsWritten, "points", clock.Elapsed, rawRate, "raw line-protocol POST, 5,000 a request", PeakMemory.PeakMiB()));
    }

    private async Task QueriesAsync(InfluxDbProcess influx)
    {
        var from = KpiSchema.DayStart(BenchCompany.Start, TimeZoneInfo.FindSystemTimeZoneById(BenchCompany.TimeZone));
        var to = KpiSchema.DayStart(company.To.AddDays(1), TimeZoneInfo.FindSystemTimeZoneById(BenchCompany.TimeZone)).AddMilliseconds(-1);
        var variables = new Dictionary<string, string> { ["department"] = company.DepartmentName(0) };
        var timings = new List<(string Panel, double Ms)>();
        var clock = Begin();
        foreach (var (panel, query, maxDataPoints) in BoardQueries())
        {
            var text = GrafanaMacros.Apply(query, from, to, variables, maxDataPoints);
            // One warm-up (a board is looked at again and again), then the median of three: the machine is shared.
            await influx.QueryAsync("metrics", text);
            var runs = new double[3];
            for (var i = 0; i < runs.Length; i++)
            {
                var one = Stopwatch.StartNew();
                await influx.QueryAsync("metrics", text);
                runs[i] = one.Elapsed.TotalMilliseconds;
            }

            timings.Add((panel, runs.Order().ElementAt(1)));
        }

        var sorted = timings.Select(t => t.Ms).Order().ToList();
        Report(new StageResult("board queries (year)", timings.Count, "queries", clock.Elapsed, null, "-", PeakMemory.PeakMiB()));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  median {sorted[sorted.Count / 2]:F0} ms, p95 {sorted[(int)(sorted.Count * 0.95)]:F0} ms, max {sorted[^1]:F0} ms; {sorted.Count(ms => ms >= 100)} of {sorted.Count} at or over 100 ms"));
        foreach (var (panel, ms) in timings.OrderByDescending(t => t.Ms).Take(5))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {ms,6:F0} ms  {panel}"));
        }
    }

    private static IEnumerable<(string Panel, string Query, int MaxDataPoints)> BoardQueries()
    {
        foreach (var file in Directory.GetFiles(RepositoryFiles.PathOf("grafana/dashboards"), "*.json").Order(StringComparer.Ordinal))
        {
            var board = JsonNode.Parse(File.ReadAllText(file))!;
            foreach (var panel in board["panels"]!.AsArray())
            {
                foreach (var target in panel!["targets"]!.AsArray())
                {
                    yield return ($"{board["title"]}: {panel["title"]} {target!["refId"]}", target["query"]!.GetValue<string>(), panel["maxDataPoints"]?.GetValue<int>() ?? 1000);
                }
            }
        }
    }

    private static async Task PostAsync(InfluxDbProcess influx, StringBuilder batch)
    {
        if (batch.Length == 0)
        {
            return;
        }

        using var content = new StringContent(batch.ToString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        using var response = await influx.Http.PostAsync(new Uri($"{influx.Url}/write?db=raw&precision=s"), content);
        response.EnsureSuccessStatusCode();
        batch.Clear();
    }

    /// <summary>The store's layout (docs/schema.md) written by hand: tag values escaped for spaces and commas only.</summary>
    internal static string LineProtocol(KpiPoint p, TimeZoneInfo zone)
    {
        static string Tag(string v) => v.Replace(" ", "\\ ", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal);
        var sb = new StringBuilder(p.Level is not null ? "kpi_by_level" : p.Tool is not null ? "kpi_by_tool" : "kpi");
        sb.Append(",department=").Append(p.Department is null ? "" : Tag(p.Department));
        if (p.Department is null)
        {
            sb.Length -= ",department=".Length;
        }

        sb.Append(",kpi=").Append(p.Kpi);
        if (p.Level is { } level)
        {
            sb.Append(",level=").Append(Levels.Name(level));
        }

        sb.Append(",scope=").Append(p.Department is null ? "org" : "department");
        if (p.Tool is not null)
        {
            sb.Append(",tool=").Append(p.Tool);
        }

        sb.Append(",window=").Append(p.Window);
        sb.Append(" value=").Append(p.Value.ToString("R", CultureInfo.InvariantCulture));
        sb.Append(' ').Append(KpiSchema.DayStart(p.Date, zone).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)).Append('\n');
        return sb.ToString();
    }

    private static KpiOptions Options() => new() { TimeZone = BenchCompany.TimeZone };
}
