using Metrics.Simulator.Generation;
using Metrics.Simulator.Hosting;

namespace Metrics.Simulator.Tests;

/// <summary>Small companies for tests: fixed end date and clock, so every run sees the same data.</summary>
public static class TestCompany
{
    public static readonly DateOnly EndDate = new(2026, 3, 10);

    /// <summary>Midday UTC on the end date: the whole history is stored before it.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    public static SimulatorOptions Options(int employees = 80, int days = 90, int seed = 42) => new()
    {
        Employees = employees,
        Days = days,
        Seed = seed,
        EndDate = EndDate,
    };

    public static Simulation Generate(SimulatorOptions? options = null) => Simulation.Generate(options ?? Options(), new FixedClock(Now));

    public static Task<RunningSimulator> StartAsync(SimulatorOptions? options = null) =>
        SimulatorHost.StartAsync(options ?? Options(), 0, new FixedClock(Now));
}

/// <summary>Fixes "now" but keeps real timers, so retry delays in loopback tests still elapse.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
