using System.ComponentModel.DataAnnotations;

namespace Metrics.Simulator;

/// <summary>The synthetic company and how it is served. Bound from <c>Simulator</c>.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <value>Default 200.</value>
    [Range(20, 100_000)]
    public int Employees { get; set; } = 200;

    /// <summary>Departments before the reorg (the reorg adds one); the last one is deliberately below the minimum group size.</summary>
    /// <value>Default 8.</value>
    [Range(3, 12)]
    public int Departments { get; set; } = 8;

    /// <summary>Days of history.</summary>
    /// <value>Default 120.</value>
    [Range(14, 3650)]
    public int Days { get; set; } = 120;

    /// <value>Default 42.</value>
    public int Seed { get; set; } = 42;

    /// <summary>
    /// The history covers the <see cref="Days"/> days before this date (it is exclusive): everything is stored before its
    /// midnight in the org zone, so a simulator started on that day serves its whole history to the connectors' "now".
    /// Default: today in the org zone, from the injected clock.
    /// </summary>
    public DateOnly? EndDate { get; set; }

    /// <value>Default <c>Europe/Berlin</c>.</value>
    public string TimeZone { get; set; } = "Europe/Berlin";

    /// <summary>The KPI minimum group size the story plays against: one department stays below it.</summary>
    /// <value>Default 5.</value>
    [Range(2, 50)]
    public int MinimumGroupSize { get; set; } = 5;

    /// <summary>The e-mail domain of employees.</summary>
    public string Domain { get; set; } = "acme.example";

    public SimulatorCredentials Credentials { get; set; } = new();

    public FaultOptions Faults { get; set; } = new();

    /// <summary>The first day of history and the exclusive end, in the org zone.</summary>
    public (DateOnly First, DateOnly End) Range(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        var end = EndDate ?? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);
        return (end.AddDays(-Days), end);
    }
}

/// <summary>The credentials each simulated vendor accepts; anything else is answered 401.</summary>
public sealed class SimulatorCredentials
{
    public string LrsUsername { get; set; } = "lrs-reader";

    public string LrsPassword { get; set; } = "lrs-secret";

    public string N8nApiKey { get; set; } = "n8n-api-key";

    public string JiraEmail { get; set; } = "metrics-bot@acme.example";

    public string JiraApiToken { get; set; } = "jira-api-token";

    public string GraphTenant { get; set; } = "simulated-tenant";

    public string GraphClientId { get; set; } = "metrics-worker";

    public string GraphClientSecret { get; set; } = "graph-client-secret";

    public string GitHubToken { get; set; } = "github-copilot-token";
}

/// <summary>
/// Faults injected into vendor responses, off by default. Counters are per vendor, so a sequential client sees the same
/// faults on every run. A request can also ask for one fault with the <c>X-Simulator-Fault</c> header or the
/// <c>simulator-fault</c> query parameter: <c>429</c>, <c>500</c>, <c>503</c>, <c>slow</c> or <c>malformed</c>.
/// </summary>
public sealed class FaultOptions
{
    /// <summary>Every Nth request of a vendor starts a burst of <see cref="RateLimitBurst"/> 429 answers; 0 is off.</summary>
    [Range(0, 1_000_000)]
    public int RateLimitEvery { get; set; }

    /// <summary>Consecutive 429 answers per burst.</summary>
    /// <value>Default 2.</value>
    [Range(1, 100)]
    public int RateLimitBurst { get; set; } = 2;

    /// <summary>The <c>Retry-After</c> of a 429 (and of a 503), in seconds.</summary>
    /// <value>Default 1.</value>
    [Range(0, 3600)]
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Every Nth request of a vendor answers 503; 0 is off.</summary>
    [Range(0, 1_000_000)]
    public int ServerErrorEvery { get; set; }

    /// <summary>Every Nth request of a vendor is delayed by <see cref="SlowDelay"/>; 0 is off.</summary>
    [Range(0, 1_000_000)]
    public int SlowEvery { get; set; }

    /// <value>Default 2 seconds.</value>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Every Nth request of a vendor answers 200 with a truncated JSON body; 0 is off.</summary>
    [Range(0, 1_000_000)]
    public int MalformedEvery { get; set; }
}
