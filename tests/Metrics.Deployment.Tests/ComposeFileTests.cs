using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Metrics.Deployment.Tests;

public partial class ComposeFileTests
{
    private const string DockerCompose = "/usr/bin/docker-compose";

    internal static string Repo(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Metrics.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Metrics.sln not found above the test binaries"), relative);
    }

    private static async Task<(int Code, string Output)> ComposeAsync(params string[] args)
    {
        if (!File.Exists(DockerCompose))
        {
            throw new InvalidOperationException("docker-compose not found: install the Debian package 'docker-compose' (tests/run.sh does this)");
        }

        var start = new ProcessStartInfo(DockerCompose) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo(".") };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Config_WithExampleEnvironment_IsValid()
    {
        var (code, output) = await ComposeAsync("--env-file", Repo(".env.example"), "-f", Repo("compose.yaml"), "config", "-q");

        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task Config_WithoutSecrets_FailsNamingTheMissingVariable()
    {
        var empty = Path.GetTempFileName();
        try
        {
            var (code, output) = await ComposeAsync("--env-file", empty, "-f", Repo("compose.yaml"), "config", "-q");

            Assert.NotEqual(0, code);
            Assert.Contains("INFLUX_", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [GeneratedRegex(@"^\s*-\s*\./(?<path>[^:]+):", RegexOptions.Multiline)]
    private static partial Regex BindMount();

    [GeneratedRegex(@"dockerfile:\s*(?<path>\S+)")]
    private static partial Regex DockerfileEntry();

    [GeneratedRegex(@"\$\{(?<name>[A-Z_][A-Z0-9_]*)")]
    private static partial Regex Variable();

    [Fact]
    public void BindMounts_EveryMountedPath_Exists()
    {
        var compose = File.ReadAllText(Repo("compose.yaml"));

        var mounts = BindMount().Matches(compose).Select(m => m.Groups["path"].Value).ToList();

        Assert.Contains("grafana/provisioning/datasources", mounts);
        Assert.Contains("grafana/provisioning/dashboards", mounts);
        Assert.Contains("grafana/provisioning/alerting", mounts);
        Assert.Contains("grafana/dashboards", mounts);
        Assert.All(mounts, m => Assert.True(Directory.Exists(Repo(m)) || File.Exists(Repo(m)), $"compose.yaml mounts ./{m}, which does not exist"));
    }

    [Fact]
    public void EnvExample_DefinesEveryVariableTheComposeFileUses()
    {
        var compose = File.ReadAllText(Repo("compose.yaml"));
        var defined = File.ReadAllLines(Repo(".env.example"))
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.TrimStart().StartsWith('#'))
            .Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)].Trim())
            .ToHashSet(StringComparer.Ordinal);

        var used = Variable().Matches(compose).Select(m => m.Groups["name"].Value).Distinct().ToList();

        Assert.NotEmpty(used);
        Assert.All(used, v => Assert.True(defined.Contains(v), $"compose.yaml uses ${{{v}}} but .env.example does not define it"));
    }

    [Fact]
    public void Dockerfiles_AreMultiStageAndRunAsNonRoot()
    {
        var compose = File.ReadAllText(Repo("compose.yaml"));
        var dockerfiles = DockerfileEntry().Matches(compose).Select(m => m.Groups["path"].Value).ToList();

        Assert.Equal(2, dockerfiles.Count);
        foreach (var path in dockerfiles)
        {
            var lines = File.ReadAllLines(Repo(path));
            var stages = lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal));
            Assert.True(stages >= 2, $"{path} has {stages} stage(s)");
            var final = lines.SkipWhile((_, i) => i < Array.FindLastIndex(lines, l => l.StartsWith("FROM ", StringComparison.Ordinal))).ToList();
            Assert.Contains(final, l => l.StartsWith("USER ", StringComparison.Ordinal) && !l.Contains("root", StringComparison.Ordinal));
            Assert.Contains("aspnet", final[0], StringComparison.Ordinal);
        }
    }
}
