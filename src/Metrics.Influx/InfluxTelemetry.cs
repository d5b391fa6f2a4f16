using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Metrics.Influx;

/// <summary>
/// Metrics and traces of KPI writes. Tags come from fixed sets only (<c>api</c>: <c>v1</c>/<c>v2</c>, <c>outcome</c>:
/// <c>success</c>/<c>failure</c>); KPI, department or point contents never become a tag.
/// </summary>
public sealed class InfluxTelemetry
{
    /// <summary>The meter and activity source name, to enable in OpenTelemetry.</summary>
    public const string Name = "Metrics.Influx";

    /// <summary>Traces of each range replacement (delete plus batched writes).</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _pointsWritten;
    private readonly Counter<long> _writeFailures;
    private readonly Histogram<double> _writeDuration;

    public InfluxTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(Name);
        _pointsWritten = meter.CreateCounter<long>("metrics.influx.points_written", "{point}", "KPI points InfluxDB acknowledged.");
        _writeFailures = meter.CreateCounter<long>("metrics.influx.write_failures", "{request}", "Write or delete requests to InfluxDB that failed.");
        _writeDuration = meter.CreateHistogram<double>("metrics.influx.write.duration", "s", "Duration of one write (batch) or delete request to InfluxDB.");
    }

    internal void WriteFinished(InfluxApi api, int points, bool succeeded, TimeSpan duration)
    {
        var apiTag = api == InfluxApi.V1 ? "v1" : "v2";
        var tags = new TagList { { "api", apiTag }, { "outcome", succeeded ? "success" : "failure" } };
        _writeDuration.Record(duration.TotalSeconds, tags);
        if (succeeded)
        {
            _pointsWritten.Add(points, new KeyValuePair<string, object?>("api", apiTag));
        }
        else
        {
            _writeFailures.Add(1, new KeyValuePair<string, object?>("api", apiTag));
        }
    }
}
