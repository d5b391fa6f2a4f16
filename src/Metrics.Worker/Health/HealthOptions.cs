using Metrics.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Health;

/// <summary>Readiness thresholds. Bound from the <c>Health</c> configuration section.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>Readiness fails when the last successful cycle is older than this (or none succeeded this long after start).</summary>
    /// <value>Default 15 minutes; at least two <c>Worker:Interval</c>s, so one slow cycle does not flap readiness.</value>
    public TimeSpan MaxCycleAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the InfluxDB ping and the journal read may take before their check fails.</summary>
    /// <value>Default 5 seconds; between 100 ms and 1 minute.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Checks the health settings at start-up, naming the setting and its value.</summary>
public sealed class HealthOptionsValidator(IOptions<WorkerOptions> worker) : IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var interval = worker.Value.Interval;
        if (options.MaxCycleAge < interval * 2)
        {
            failures.Add($"Health:MaxCycleAge must be at least twice Worker:Interval ({interval * 2}) (was {options.MaxCycleAge}): a single slow cycle would mark the service unready.");
        }

        if (options.Timeout < TimeSpan.FromMilliseconds(100) || options.Timeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"Health:Timeout must be between 00:00:00.1 and 00:01:00 (was {options.Timeout}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
