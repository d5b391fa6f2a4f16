using InfluxDB.Client.Api.Domain;
using InfluxDB.Client.Writes;
using Metrics.Core.Ports;

namespace Metrics.Influx;

public sealed partial class InfluxKpiStore
{
    /// <summary>The measurement the data-health board and the source-failing alert read (grafana/README.md).</summary>
    public const string SourceHealthMeasurement = "source_health";

    /// <inheritdoc />
    /// <remarks>
    /// One point per source at the attempt's time, every field a float (like the KPI <c>value</c>) so no field ever
    /// changes type. Fields without a value (no lag before the first event, no success yet) are left out.
    /// </remarks>
    public async Task WriteSourceHealthAsync(IReadOnlyList<SourceHealth> health, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(health);
        if (health.Count == 0)
        {
            return;
        }

        var server = await DetectServerAsync(cancellationToken);
        using var batch = new KpiLineBatch(health.Count);
        foreach (var line in health.Select(h =>
        {
            if (h.Source.Length == 0 || h.Source.Any(c => c == '\\' || char.IsControl(c)))
            {
                throw new KpiStoreException($"source name '{h.Source}' cannot be a tag value");
            }

            var point = PointData.Measurement(SourceHealthMeasurement)
                .Tag("source", h.Source)
                .Field("events", (double)h.Events)
                .Field("unresolved", (double)h.Unresolved)
                .Field("rejected", (double)h.Rejected)
                .Field("failures", (double)h.Failures)
                .Timestamp(h.At, WritePrecision.S);
            if (h.LagSeconds is { } lag)
            {
                point = point.Field("lag_seconds", lag);
            }

            if (h.People is { } people && h.DirectoryPeople is { } directoryPeople)
            {
                point = point.Field("people", (double)people).Field("directory_people", (double)directoryPeople);
            }

            if (h.LastSuccess is { } success)
            {
                point = point.Field("last_success", (double)success.ToUnixTimeSeconds());
            }

            return point;
        }))
        {
            // A few points a sync: InfluxDB.Client's PointData lays them out, the KPI writes' request sends them.
            batch.AddLine(line.ToLineProtocol());
        }

        await WriteBatchAsync(server, batch, cancellationToken);
    }
}
