using System.Text;
using System.Text.Json;
using Metrics.Testing;

namespace Metrics.Worker.Tests.Operations;

/// <summary>
/// The service's logs at the most verbose level, in the production JSON-lines format, while it syncs every source and
/// writes KPIs: every line is one JSON object with an event id, and no credential or person e-mail appears anywhere.
/// </summary>
public sealed class LogHygieneTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    private const string InfluxToken = "influx-token-5f0c9e7d1b";

    [Fact]
    public async Task Run_TraceLogsDuringSyncAndCycle_NoSecretAndNoPersonEmail()
    {
        await using var service = await ServiceUnderTest.CreateAsync(influx, simulate: true, extra: ["--Influx:Token", InfluxToken]);
        await service.StartAsync(
            "--Logging:Format", "json",
            "--Logging:LogLevel:Default", "Trace",
            "--Logging:LogLevel:Microsoft.AspNetCore", "Trace",
            "--Logging:LogLevel:System.Net.Http.HttpClient", "Trace");
        var simulation = service.Simulator!.Simulation;
        var credentials = simulation.Options.Credentials;

        // A full cycle: every source synced (3001 per event source) and the KPIs written (1001).
        await ServiceUnderTest.EventuallyAsync(
            () => Task.FromResult(service.Process.Output),
            log => log.Contains("\"EventId\":1001", StringComparison.Ordinal) && CountOf(log, "\"EventId\":3001") >= 3,
            TimeSpan.FromSeconds(120), "sources synced and KPIs recomputed");
        // Probe the endpoints too, so request logging is part of what is checked.
        await service.GetAsync("/metrics");
        await service.GetAsync("/health/ready");
        var logs = service.Process.Output + service.Process.Error;

        var lines = service.Process.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length > 20, $"expected verbose logs, got {lines.Length} lines");
        foreach (var line in lines)
        {
            using var doc = JsonDocument.Parse(line);
            Assert.True(doc.RootElement.TryGetProperty("EventId", out _), line);
            Assert.True(doc.RootElement.TryGetProperty("Category", out _), line);
        }

        string[] secrets =
        [
            InfluxToken,
            credentials.LrsPassword, credentials.N8nApiKey, credentials.JiraApiToken, credentials.GraphClientSecret,
            // As they travel in Authorization headers: Basic user:secret in Base64.
            Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.LrsUsername + ":" + credentials.LrsPassword)),
            Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials.JiraEmail + ":" + credentials.JiraApiToken)),
        ];
        foreach (var secret in secrets)
        {
            Assert.False(string.IsNullOrEmpty(secret));
            Assert.DoesNotContain(secret, logs, StringComparison.OrdinalIgnoreCase);
        }

        var emails = simulation.Company.Employees.Select(e => e.Email).ToList();
        Assert.NotEmpty(emails);
        foreach (var email in emails)
        {
            Assert.DoesNotContain(email, logs, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Uri.EscapeDataString(email), logs, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain("@" + simulation.Options.Domain, logs, StringComparison.OrdinalIgnoreCase);
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
