using System.Diagnostics;

namespace Metrics.Worker.Tests.Operations;

/// <summary>The shipped alert rules pass <c>promtool check rules</c> and their unit tests (<c>promtool test rules</c>).</summary>
public sealed class PrometheusRulesTests
{
    private const string Promtool = "/usr/bin/promtool";

    [Fact]
    public async Task CheckRules_ShippedRulesFile_Succeeds()
    {
        var (code, output) = await PromtoolAsync("check", "rules", "metrics-worker-rules.yml");

        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS: 8 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TestRules_UnitTestsForEveryAlert_Succeed()
    {
        var (code, output) = await PromtoolAsync("test", "rules", "metrics-worker-rules.test.yml");

        Assert.True(code == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TestRules_EveryAlert_HasFiringAndQuietCaseAndRunbookLine()
    {
        var directory = RulesDirectory();
        var rules = File.ReadAllText(Path.Combine(directory, "metrics-worker-rules.yml"));
        var tests = File.ReadAllText(Path.Combine(directory, "metrics-worker-rules.test.yml"));
        var operations = File.ReadAllText(Path.Combine(directory, "..", "operations.md"));
        var alerts = rules.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("- alert: ", StringComparison.Ordinal)).Select(l => l["- alert: ".Length..]).ToList();

        Assert.Equal(8, alerts.Count);
        foreach (var alert in alerts)
        {
            var cases = tests.Split("alertname: " + alert + "\n").Length - 1;
            Assert.True(cases >= 2, $"{alert}: expected a case that fires and one that does not, found {cases}");
            Assert.Contains("### " + alert, operations, StringComparison.Ordinal);
        }
    }

    private static async Task<(int Code, string Output)> PromtoolAsync(params string[] args)
    {
        Assert.True(File.Exists(Promtool), $"{Promtool} not found: install the Debian package 'prometheus' (tests/run.sh does this)");
        var start = new ProcessStartInfo(Promtool)
        {
            WorkingDirectory = RulesDirectory(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>docs/prometheus of the repository the tests were built from.</summary>
    private static string RulesDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "prometheus");
            if (File.Exists(Path.Combine(candidate, "metrics-worker-rules.yml")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("docs/prometheus/metrics-worker-rules.yml not found above " + AppContext.BaseDirectory);
    }
}
