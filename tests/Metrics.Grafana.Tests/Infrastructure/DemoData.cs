using System.Globalization;
using System.Text;
using Metrics.Testing;
using Metrics.Testing.Golden;
using Metrics.Worker.Cli;

namespace Metrics.Grafana.Tests.Infrastructure;

/// <summary>
/// The one place the boards' demo data comes from. For now: the golden company, imported through the worker's real
/// command line into InfluxDB (so the points are exactly what the worker writes), plus a day of
/// <c>source_health</c> points in the shape grafana/README.md asks the source wiring to write. When the simulator
/// lands, <see cref="FillAsync"/> and the facts below change; the tests do not.
/// </summary>
public static class DemoData
{
    /// <summary>The org zone the data was computed in (the boards' time zone).</summary>
    public const string TimeZone = GoldenCompany.TimeZone;

    public static readonly string[] Sources = ["lms", "lowcode", "ticketing"];

    /// <summary>Departments written under their own name (and the merged group), for <c>$department</c>.</summary>
    public static readonly string[] Departments = ["Engineering", "Sales", GoldenCompany.SmallGroups];

    /// <summary>The day whose source_health points are written: the last computed day.</summary>
    public static readonly DateOnly HealthDay = GoldenCompany.DayB;

    /// <summary>A range holding every demo point.</summary>
    public static DateTimeOffset From { get; } = new(2025, 9, 1, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset To { get; } = DayStart(GoldenCompany.DayB.AddDays(1));

    /// <summary>Hand-computed KPI values: (date, department or null for the org, kpi, window, value).</summary>
    public static IReadOnlyList<(DateOnly Date, string? Department, string Kpi, string Window, double Value)> Expected => GoldenCompany.Expected;

    public static IReadOnlyList<DateOnly> CheckedDays { get; } = [GoldenCompany.DayA, GoldenCompany.DayB];

    /// <summary>The instant a date starts in the org zone (what the worker uses as the point's timestamp).</summary>
    public static DateTimeOffset DayStart(DateOnly day)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    public static async Task FillAsync(InfluxDbProcess influx, string database)
    {
        var work = Directory.CreateTempSubdirectory("metrics-grafana-demo-").FullName;
        try
        {
            string[] settings =
            [
                "--Journal:Path", Path.Combine(work, "journal.db"),
                "--Influx:Url", influx.Url,
                "--Influx:Api", "v1",
                "--Influx:Database", database,
                "--Kpi:TimeZone", GoldenCompany.TimeZone,
                "--Kpi:MinimumGroupSize", GoldenCompany.MinimumGroupSize.ToString(CultureInfo.InvariantCulture),
            ];
            var files = GoldenCompany.WriteFiles(Path.Combine(work, "in"));
            var to = GoldenCompany.DayB.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await RunCliAsync(["import", "--directory", files.Directory, "--courses", files.Courses, "--events", files.Events, "--to", to, .. settings]);
            await RunCliAsync(["import", "--events", files.Late, "--to", to, .. settings]);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A temp directory left behind does not change any result.
            }
        }

        await WriteLinesAsync(influx, database, HealthyLines(DayStart(HealthDay), DayStart(HealthDay.AddDays(1))));
    }

    /// <summary>
    /// Hourly <c>source_health</c> points of normal operation: every sync succeeds, a few items rejected, lowcode has
    /// two events of people the directory does not cover (the golden company's unknown person and leaver); the people
    /// each source covers are the golden company's on day B (<see cref="PeopleCovered"/>).
    /// </summary>
    public static IEnumerable<string> HealthyLines(DateTimeOffset from, DateTimeOffset to)
    {
        for (var t = from; t < to; t = t.AddHours(1))
        {
            var hour = (int)(t - from).TotalHours;
            yield return SourceHealthLine("lms", t, events: 12, unresolved: 0, rejected: hour % 6 == 0 ? 1 : 0, lagSeconds: 90, lastSuccess: t, failures: 0, PeopleCovered["lms"]);
            yield return SourceHealthLine("lowcode", t, events: 11, unresolved: 2, rejected: 0, lagSeconds: 300, lastSuccess: t, failures: 0, PeopleCovered["lowcode"]);
            yield return SourceHealthLine("ticketing", t, events: 25, unresolved: 0, rejected: 0, lagSeconds: 45, lastSuccess: t, failures: 0, PeopleCovered["ticketing"]);
        }
    }

    /// <summary>
    /// People of the golden company's directory each source covers on day B, as the worker computes them
    /// (KpiEngineGoldenTests works them out: 11 in scope; lms 8, lowcode 9, ticketing 6).
    /// </summary>
    public static IReadOnlyDictionary<string, (int People, int Of)> PeopleCovered { get; } = new Dictionary<string, (int, int)>(StringComparer.Ordinal)
    {
        ["lms"] = (8, 11),
        ["lowcode"] = (9, 11),
        ["ticketing"] = (6, 11),
    };

    /// <summary>One point of the measurement grafana/README.md defines (fields as floats, time in seconds).</summary>
    public static string SourceHealthLine(string source, DateTimeOffset time, double events, double unresolved, double rejected, double lagSeconds, DateTimeOffset lastSuccess, double failures, (int People, int Of)? covered = null) =>
        string.Create(CultureInfo.InvariantCulture,
            $"source_health,source={source} events={events:R},unresolved={unresolved:R},rejected={rejected:R},lag_seconds={lagSeconds:R},last_success={lastSuccess.ToUnixTimeSeconds()},failures={failures:R}{(covered is { } c ? $",people={c.People},directory_people={c.Of}" : "")} {time.ToUnixTimeSeconds()}");

    /// <summary>A KPI point as the worker writes it (docs/schema.md).</summary>
    public static string KpiLine(string kpi, string window, string? department, DateOnly day, double value)
    {
        var tags = department is null
            ? $"kpi={kpi},scope=org,window={window}"
            : $"department={Escape(department)},kpi={kpi},scope=department,window={window}";
        return string.Create(CultureInfo.InvariantCulture, $"kpi,{tags} value={value:R} {DayStart(day).ToUnixTimeSeconds()}");
    }

    public static async Task WriteLinesAsync(InfluxDbProcess influx, string database, IEnumerable<string> lines)
    {
        await influx.QueryAsync(null, $"CREATE DATABASE \"{database}\"");
        using var content = new StringContent(string.Join('\n', lines) + "\n", Encoding.UTF8, "text/plain");
        using var response = await influx.Http.PostAsync(new Uri($"{influx.Url}/write?db={Uri.EscapeDataString(database)}&precision=s"), content);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"write to {database} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static string Escape(string tag) =>
        tag.Replace(",", "\\,", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal).Replace(" ", "\\ ", StringComparison.Ordinal);

    private static async Task RunCliAsync(string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await MetricsCli.Build(output, error).Parse(args).InvokeAsync();
        if (code != MetricsCli.Ok)
        {
            throw new InvalidOperationException($"metrics {args[0]} exited with {code}: {error}");
        }
    }
}
