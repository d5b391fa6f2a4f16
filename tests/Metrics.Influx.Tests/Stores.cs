using Metrics.Core.Kpis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Metrics.Influx.Tests;

/// <summary>Builds stores the way the composition root would, minus DI.</summary>
internal static class Stores
{
    public const string Berlin = "Europe/Berlin";

    private static readonly HttpClient Http = new();

    public static InfluxKpiStore Create(string url, Action<InfluxOptions>? configure = null, ILogger<InfluxKpiStore>? logger = null, string timeZone = Berlin, InfluxTelemetry? telemetry = null)
    {
        var options = new InfluxOptions { Url = url };
        configure?.Invoke(options);
        return new InfluxKpiStore(
            Options.Create(options),
            Options.Create(new KpiOptions { TimeZone = timeZone }),
            Http,
            logger ?? NullLogger<InfluxKpiStore>.Instance,
            telemetry);
    }

    public static async Task<List<KpiPoint>> ReadAllAsync(this InfluxKpiStore store, DateOnly from, DateOnly to, string? department = null)
    {
        var points = new List<KpiPoint>();
        await foreach (var point in store.ReadAsync(from, to, department))
        {
            points.Add(point);
        }

        return points;
    }
}
