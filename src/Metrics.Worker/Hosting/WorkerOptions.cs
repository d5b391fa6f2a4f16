using System.ComponentModel.DataAnnotations;

namespace Metrics.Worker.Hosting;

/// <summary>The service loop. Bound from the <c>Worker</c> configuration section.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>Time between two KPI cycles.</summary>
    /// <value>Default one minute; between one second and one day.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(1);
}
