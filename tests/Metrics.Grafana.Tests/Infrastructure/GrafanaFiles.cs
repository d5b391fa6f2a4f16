using System.Text.Json.Nodes;

namespace Metrics.Grafana.Tests.Infrastructure;

/// <summary>The files under <c>grafana/</c>, loaded the way Grafana reads them.</summary>
public static class GrafanaFiles
{
    public const string DatasourceUid = "metrics-influxdb";
    public const string ExpressionUid = "__expr__";

    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository root (the directory holding <c>Metrics.sln</c>).</summary>
    public static string RepoRoot => Root.Value;

    public static string GrafanaDirectory => Path.Combine(RepoRoot, "grafana");

    public static string DashboardsDirectory => Path.Combine(GrafanaDirectory, "dashboards");

    public static string ProvisioningDirectory => Path.Combine(GrafanaDirectory, "provisioning");

    public static IReadOnlyList<string> DashboardFiles =>
        Directory.GetFiles(DashboardsDirectory, "*.json").Order(StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> ProvisioningFiles =>
        Directory.GetFiles(ProvisioningDirectory, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static IReadOnlyList<string> AlertingFiles =>
        ProvisioningFiles.Where(f => f.Contains($"{Path.DirectorySeparatorChar}alerting{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToList();

    public static IReadOnlyList<Dashboard> Dashboards() => DashboardFiles.Select(Dashboard.Load).ToList();

    public static Dashboard DashboardByUid(string uid) => Dashboards().Single(d => d.Uid == uid);

    /// <summary>A provisioning YAML file as a JSON tree (YAML scalars typed as YAML 1.1/Go would type them).</summary>
    public static JsonNode LoadYaml(string path) => YamlJson.Parse(File.ReadAllText(path));

    public static JsonNode LoadProvisioning(string relativePath) => LoadYaml(Path.Combine(ProvisioningDirectory, relativePath));

    /// <summary>Every alert rule of every alerting file, with its group.</summary>
    public static IReadOnlyList<AlertRule> AlertRules() =>
        AlertingFiles
            .Select(f => (File: f, Node: LoadYaml(f)))
            .Where(x => x.Node["groups"] is JsonArray)
            .SelectMany(x => x.Node["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray().Select(r => new AlertRule(x.File, g, r!))))
            .ToList();

    public static AlertRule Rule(string uid) => AlertRules().Single(r => r.Uid == uid);

    public static string Relative(string path) => Path.GetRelativePath(RepoRoot, path);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Metrics.sln")) && Directory.Exists(Path.Combine(dir.FullName, "grafana")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Metrics.sln with a grafana directory above {AppContext.BaseDirectory}");
    }
}
