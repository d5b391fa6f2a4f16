namespace Metrics.Sources.Tests.Fakes;

/// <summary>
/// Fixes "now" for the sources but keeps real timers, so resilience delays and timeouts in loopback tests still elapse
/// (a FakeTimeProvider in the container would stall them).
/// </summary>
public sealed class FixedNowTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
