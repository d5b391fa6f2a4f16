using System.ComponentModel.DataAnnotations;

namespace Metrics.Sources.Common;

/// <summary>Settings every pulled source shares. Each source binds its own subclass from <c>Sources:&lt;Name&gt;</c>.</summary>
public abstract class SourceOptions
{
    /// <summary>Whether the worker pulls this source.</summary>
    /// <value>Default <see langword="false"/>: a source is pulled only once it is configured on purpose.</value>
    public bool Enabled { get; set; }

    /// <summary>The vendor API's base URL (see each source for what it includes). Must be https, except on a loopback
    /// host or with <see cref="AllowInsecureHttp"/>.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Whether a plain-http URL on a non-loopback host is accepted (credentials then travel unencrypted).</summary>
    /// <value>Default <see langword="false"/>.</value>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>How often the worker pulls this source.</summary>
    /// <value>Default 15 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How far before the checkpoint each pull starts again, so late or same-instant writes are not lost.</summary>
    /// <value>Default 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far back the first pull (no checkpoint yet) reaches.</summary>
    /// <value>Default 30 days.</value>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan InitialLookback { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Items asked for per page.</summary>
    /// <value>Default 100.</value>
    [Range(1, 5000)]
    public int PageSize { get; set; } = 100;

    /// <summary>A page with more items than this is refused whole (a misbehaving server or a runaway query).</summary>
    /// <value>Default 5000.</value>
    [Range(1, 1_000_000)]
    public int MaxItemsPerPage { get; set; } = 5000;

    /// <summary>A response body larger than this is refused unread.</summary>
    /// <value>Default 32 MiB.</value>
    [Range(1024, int.MaxValue)]
    public int MaxResponseBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Problems found while reading the settings (an unreadable <c>*_FILE</c> secret), reported by the validator.</summary>
    internal List<string> ConfigurationErrors { get; } = [];

    /// <summary>Retry, timeout and circuit-breaker settings of this source's HTTP client.</summary>
    public SourceResilienceOptions Resilience { get; set; } = new();

    /// <summary>Sets the vendor's credentials and version headers on the source's client. Runs only once the source has
    /// a base URL, so a disabled, unconfigured source never fails the container.</summary>
    public virtual void ConfigureClient(HttpClient client)
    {
    }
}

/// <summary>
/// The knobs of the standard resilience handler that a source may need to change. The total timeout must allow every
/// attempt and every backoff delay, and <see cref="HttpClient.Timeout"/> is set just above it so it never cuts in first.
/// </summary>
public sealed class SourceResilienceOptions
{
    /// <summary>Retries after the first attempt, on 408, 429, 5xx, transport errors and attempt timeouts.</summary>
    /// <value>Default 3.</value>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First backoff delay; it grows exponentially with jitter. A <c>Retry-After</c> header takes precedence.</summary>
    /// <value>Default 2 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest any single backoff may be, including one asked for by <c>Retry-After</c>.</summary>
    /// <value>Default 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for one attempt.</summary>
    /// <value>Default 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:30:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for one request including all retries and delays.</summary>
    /// <value>Default 3 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.010", "02:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How long the circuit stays open after it breaks.</summary>
    /// <value>Default 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
