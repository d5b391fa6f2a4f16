using System.Diagnostics.Metrics;
using Metrics.Worker.Health;
using Metrics.Worker.Hosting;
using Metrics.Worker.Telemetry;
using Metrics.Worker.Tests.Cli;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Tests.Operations;

public sealed class OperationsSettingsTests
{
    [Fact]
    public void HealthOptionsValidator_MaxCycleAgeBelowTwoIntervals_FailsNamingBothSettings()
    {
        var validator = new HealthOptionsValidator(Options.Create(new WorkerOptions { Interval = TimeSpan.FromMinutes(10) }));

        var result = validator.Validate(null, new HealthOptions { MaxCycleAge = TimeSpan.FromMinutes(15) });

        Assert.True(result.Failed);
        Assert.Contains("Health:MaxCycleAge must be at least twice Worker:Interval (00:20:00) (was 00:15:00)", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void HealthOptionsValidator_Defaults_Succeed()
    {
        var validator = new HealthOptionsValidator(Options.Create(new WorkerOptions()));

        Assert.True(validator.Validate(null, new HealthOptions()).Succeeded);
    }

    [Fact]
    public void HealthOptionsValidator_TimeoutTooLong_FailsNamingTheSetting()
    {
        var validator = new HealthOptionsValidator(Options.Create(new WorkerOptions()));

        var result = validator.Validate(null, new HealthOptions { Timeout = TimeSpan.FromMinutes(5) });

        Assert.Contains("Health:Timeout", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void TelemetryOptionsValidator_RelativeEndpoint_FailsNamingTheSetting()
    {
        var result = new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { OtlpEndpoint = new Uri("otel-collector/v1", UriKind.Relative) });

        Assert.True(result.Failed);
        Assert.Contains("Telemetry:OtlpEndpoint", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_UnknownLoggingFormat_FailsNamingTheSetting()
    {
        using var cli = new CliRunner("http://127.0.0.1:1", "unused", extra: ["--Logging:Format", "xml"]);

        var result = await cli.RunAsync("kpis", "--from", "2026-03-01", "--to", "2026-03-01");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("configuration error: Logging:Format must be simple, json or systemd (was 'xml').", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CycleHealthCheck_NoCycleYetWithinGrace_IsDegraded()
    {
        var (check, _, clock) = NewCycleCheck();
        clock.Advance(TimeSpan.FromMinutes(5));

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Degraded, result.Status);
    }

    [Fact]
    public async Task CycleHealthCheck_NoCycleAfterGrace_IsUnhealthyNamingTheSetting()
    {
        var (check, _, clock) = NewCycleCheck();
        clock.Advance(TimeSpan.FromMinutes(16));

        var result = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("Health:MaxCycleAge", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CycleHealthCheck_LastSuccessAgesPastThreshold_TurnsUnhealthy()
    {
        var (check, telemetry, clock) = NewCycleCheck();
        telemetry.CycleFinished(succeeded: true, TimeSpan.FromSeconds(2));
        clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        telemetry.CycleFinished(succeeded: false, TimeSpan.FromSeconds(2));
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(HealthStatus.Unhealthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    private static (CycleHealthCheck Check, WorkerTelemetry Telemetry, ManualClock Clock) NewCycleCheck()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 10, 8, 0, 0, TimeSpan.Zero));
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();
        var telemetry = new WorkerTelemetry(meters, clock);
        return (new CycleHealthCheck(telemetry, Options.Create(new HealthOptions { MaxCycleAge = TimeSpan.FromMinutes(15) }), clock), telemetry, clock);
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
