using System.Diagnostics;

namespace Metrics.Worker.Tests.Reports;

/// <summary>Headless Chromium (Debian package <c>chromium</c>, installed by tests/run.sh) run on a local file, nothing else.</summary>
public static class Chromium
{
    public const string Executable = "/usr/bin/chromium";

    /// <summary>Runs Chromium with the given action (<c>--screenshot=...</c>, <c>--dump-dom</c>) and returns its stdout and stderr.</summary>
    public static async Task<(string Output, string Error)> RunAsync(string file, params string[] action)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: install the Debian package chromium (tests/run.sh does)");
        var profile = Path.Combine(Path.GetTempPath(), "metrics-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--window-size=1200,800",
        }.Concat(action).Append(new Uri(file).AbsoluteUri))
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await process.WaitForExitAsync(timeout.Token);
            return (await output, await error);
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // A profile left in /tmp is harmless.
            }
        }
    }

    /// <summary>The page's console messages (Chromium logs each as <c>INFO:CONSOLE</c> with --enable-logging).</summary>
    public static IReadOnlyList<string> ConsoleMessages(string stderr) =>
        [.. stderr.Split('\n').Where(l => l.Contains(":CONSOLE", StringComparison.Ordinal))];
}
