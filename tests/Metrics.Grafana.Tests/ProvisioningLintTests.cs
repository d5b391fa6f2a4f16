using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Metrics.Grafana.Tests.Infrastructure;

namespace Metrics.Grafana.Tests;

/// <summary>Static checks of the provisioning YAML: datasource, dashboard provider, alert rules, contact point, policy.</summary>
public sealed partial class ProvisioningLintTests
{
    private static readonly string[] ExpectedEnvironment =
        ["INFLUX_URL", "INFLUX_DATABASE", "INFLUX_TOKEN", "METRICS_ALERT_TYPE", "METRICS_ALERT_EMAIL", "METRICS_ALERT_WEBHOOK_URL", "METRICS_ALERT_REPEAT_INTERVAL"];

    [Fact]
    public void ProvisioningFiles_All_AreValidYamlWithApiVersion1()
    {
        Assert.NotEmpty(GrafanaFiles.ProvisioningFiles);
        Assert.All(GrafanaFiles.ProvisioningFiles, f =>
        {
            var node = GrafanaFiles.LoadYaml(f);
            Assert.Equal(1, AlertRule.Number(node["apiVersion"]));
        });
    }

    [Fact]
    public void YamlJson_BrokenYaml_Throws()
    {
        Assert.ThrowsAny<Exception>(() => YamlJson.Parse("groups:\n  - name: a\n   folder: b\n"));
        Assert.ThrowsAny<Exception>(() => YamlJson.Parse("a: 1\na: 2\n"));
    }

    [Fact]
    public void Datasource_Provisioned_InfluxQlWithFixedUidAndSettingsFromEnvironment()
    {
        var sources = GrafanaFiles.LoadProvisioning("datasources/influxdb.yaml")["datasources"]!.AsArray();
        var ds = Assert.Single(sources)!;
        Assert.Equal(GrafanaFiles.DatasourceUid, ds["uid"]!.GetValue<string>());
        Assert.Equal("influxdb", ds["type"]!.GetValue<string>());
        Assert.Equal("proxy", ds["access"]!.GetValue<string>());
        Assert.Equal("InfluxQL", ds["jsonData"]!["version"]!.GetValue<string>());
        Assert.Equal("${INFLUX_URL}", ds["url"]!.GetValue<string>());
        Assert.Equal("${INFLUX_DATABASE}", ds["jsonData"]!["dbName"]!.GetValue<string>());
        Assert.Equal("Authorization", ds["jsonData"]!["httpHeaderName1"]!.GetValue<string>());
        Assert.Equal("Token ${INFLUX_TOKEN}", ds["secureJsonData"]!["httpHeaderValue1"]!.GetValue<string>());
        Assert.Null(ds["database"]);
    }

    [Fact]
    public void DashboardProvider_Path_IsMountedFromTheRepositoryDashboardsDirectory()
    {
        var providers = GrafanaFiles.LoadProvisioning("dashboards/metrics.yaml")["providers"]!.AsArray();
        var provider = Assert.Single(providers)!;
        Assert.Equal("file", provider["type"]!.GetValue<string>());
        Assert.Equal("AI readiness", provider["folder"]!.GetValue<string>());
        var path = provider["options"]!["path"]!.GetValue<string>();
        var mounts = ComposeMounts();
        Assert.True(mounts.TryGetValue(path, out var source), $"provider path {path} is not mounted in grafana/docker-compose.yml");
        Assert.Equal(GrafanaFiles.DashboardsDirectory, Path.GetFullPath(Path.Combine(GrafanaFiles.GrafanaDirectory, source)));
        Assert.Equal(5, GrafanaFiles.DashboardFiles.Count);
    }

    [Fact]
    public void Compose_ProvisioningMounts_ExistInTheRepositoryAndCoverEveryProvisioningDirectory()
    {
        var mounts = ComposeMounts();
        foreach (var (target, source) in mounts)
        {
            var full = Path.GetFullPath(Path.Combine(GrafanaFiles.GrafanaDirectory, source));
            Assert.True(Directory.Exists(full), $"compose mounts {source} at {target}, but {full} does not exist");
        }

        foreach (var dir in Directory.GetDirectories(GrafanaFiles.ProvisioningDirectory))
        {
            Assert.Contains($"/etc/grafana/provisioning/{Path.GetFileName(dir)}", mounts.Keys);
        }
    }

    [Fact]
    public void EnvironmentVariables_EveryReference_HasAComposeDefaultAndIsDocumented()
    {
        var referenced = GrafanaFiles.ProvisioningFiles.SelectMany(f => EnvironmentReferences(GrafanaFiles.LoadYaml(f))).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(ExpectedEnvironment.Order(StringComparer.Ordinal), referenced.Order(StringComparer.Ordinal));
        var defaults = ComposeEnvironment();
        var readme = File.ReadAllText(Path.Combine(GrafanaFiles.GrafanaDirectory, "README.md"));
        Assert.All(referenced, name =>
        {
            Assert.True(defaults.ContainsKey(name), $"{name} has no default in grafana/docker-compose.yml");
            Assert.Contains($"`{name}`", readme, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void ContactPoint_WithComposeDefaults_IsAValidEmailReceiverAndThePolicyRoutesToIt()
    {
        var file = GrafanaFiles.LoadProvisioning("alerting/contact-points.yaml");
        var defaults = ComposeEnvironment();
        var point = Assert.Single(file["contactPoints"]!.AsArray())!;
        var receiver = Assert.Single(point["receivers"]!.AsArray())!;
        Assert.Equal("email", GrafanaEnvironment.Interpolate(receiver["type"]!.GetValue<string>(), defaults));
        Assert.Equal("alerts@localhost", GrafanaEnvironment.Interpolate(receiver["settings"]!["addresses"]!.GetValue<string>(), defaults));
        var webhook = new Dictionary<string, string>(defaults) { ["METRICS_ALERT_TYPE"] = "webhook", ["METRICS_ALERT_WEBHOOK_URL"] = "https://hooks.example.org/x" };
        Assert.Equal("webhook", GrafanaEnvironment.Interpolate(receiver["type"]!.GetValue<string>(), webhook));
        Assert.Equal("https://hooks.example.org/x", GrafanaEnvironment.Interpolate(receiver["settings"]!["url"]!.GetValue<string>(), webhook));
        var policy = Assert.Single(file["policies"]!.AsArray())!;
        Assert.Equal(point["name"]!.GetValue<string>(), policy["receiver"]!.GetValue<string>());
        Assert.Equal("4h", GrafanaEnvironment.Interpolate(policy["repeat_interval"]!.GetValue<string>(), defaults));
    }

    [Fact]
    public void AlertRules_Groups_HaveNameFolderAndInterval()
    {
        var groups = GrafanaFiles.AlertingFiles.Select(GrafanaFiles.LoadYaml).Where(n => n["groups"] is not null).SelectMany(n => n["groups"]!.AsArray()).ToList();
        Assert.NotEmpty(groups);
        Assert.All(groups, g =>
        {
            Assert.False(string.IsNullOrWhiteSpace(g!["name"]?.GetValue<string>()));
            Assert.Equal("AI readiness", g["folder"]?.GetValue<string>());
            Assert.Matches("^[0-9]+[smh]$", g["interval"]!.GetValue<string>());
        });
    }

    [Fact]
    public void AlertRules_Uids_AreUniqueAndEveryRuleIsComplete()
    {
        var rules = GrafanaFiles.AlertRules();
        Assert.Equal(6, rules.Count);
        Assert.Equal(rules.Count, rules.Select(r => r.Uid).Distinct(StringComparer.Ordinal).Count());
        Assert.All(rules, r =>
        {
            Assert.Matches("^[a-z0-9-]{8,40}$", r.Uid);
            Assert.False(string.IsNullOrWhiteSpace(r.Title));
            Assert.Contains(r.Condition, r.Data.Select(d => d["refId"]!.GetValue<string>()));
            Assert.Contains(r.NoDataState, new[] { "OK", "NoData", "Alerting" });
            Assert.Contains(r.Json["execErrState"]!.GetValue<string>(), new[] { "OK", "Error", "Alerting" });
            Assert.Matches("^[0-9]+[smhd]$", r.Json["for"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(r.Json["annotations"]?["summary"]?.GetValue<string>()));
        });
    }

    [Fact]
    public void AlertRules_EveryQuery_OnTheProvisionedDatasourceOrAnExpression()
    {
        Assert.All(GrafanaFiles.AlertRules(), r =>
        {
            var refIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var d in r.Data)
            {
                var refId = d["refId"]!.GetValue<string>();
                var uid = d["datasourceUid"]!.GetValue<string>();
                var model = d["model"]!;
                Assert.Equal(refId, model["refId"]!.GetValue<string>());
                Assert.Equal(uid, model["datasource"]!["uid"]!.GetValue<string>());
                if (uid == GrafanaFiles.ExpressionUid)
                {
                    // An expression may only use queries defined before it.
                    var input = model["expression"]!.GetValue<string>();
                    var inputs = model["type"]!.GetValue<string>() == "math"
                        ? RefReference().Matches(input).Select(m => m.Groups[1].Value).ToList()
                        : [input];
                    Assert.All(inputs, i => Assert.Contains(i, refIds));
                }
                else
                {
                    Assert.Equal(GrafanaFiles.DatasourceUid, uid);
                    Assert.True(model["rawQuery"]!.GetValue<bool>());
                    Assert.Equal("time_series", model["resultFormat"]!.GetValue<string>());
                    Assert.Contains("$timeFilter", model["query"]!.GetValue<string>(), StringComparison.Ordinal);
                    var range = d["relativeTimeRange"]!;
                    Assert.True(AlertRule.Number(range["from"]) > AlertRule.Number(range["to"]), $"{r}: {refId} has an empty time range");
                }

                refIds.Add(refId);
            }
        });
    }

    [Fact]
    public void AlertRules_DashboardLinks_PointToExistingPanels()
    {
        var boards = GrafanaFiles.Dashboards().ToDictionary(b => b.Uid!, StringComparer.Ordinal);
        Assert.All(GrafanaFiles.AlertRules(), r =>
        {
            var uid = r.Json["dashboardUid"]!.GetValue<string>();
            Assert.True(boards.TryGetValue(uid, out var board), $"{r}: no dashboard {uid}");
            board.Panel((int)AlertRule.Number(r.Json["panelId"]));
        });
    }

    private static IEnumerable<string> EnvironmentReferences(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                // Alert rule models and annotations are not interpolated by Grafana: $timeFilter and $C stay as they are.
                return obj.Where(p => p.Key is not "model" and not "annotations").SelectMany(p => EnvironmentReferences(p.Value));
            case JsonArray array:
                return array.SelectMany(EnvironmentReferences);
            case JsonValue value when value.TryGetValue<string>(out var s):
                return GrafanaEnvironment.Variables(s);
            default:
                return [];
        }
    }

    private static JsonNode ComposeService() => GrafanaFiles.LoadYaml(Path.Combine(GrafanaFiles.GrafanaDirectory, "docker-compose.yml"))["services"]!["grafana"]!;

    /// <summary>Container path to host path (relative to grafana/) of the compose file's bind mounts.</summary>
    private static Dictionary<string, string> ComposeMounts() =>
        ComposeService()["volumes"]!.AsArray().Select(v => v!.GetValue<string>().Split(':'))
            .Where(p => p[0].StartsWith('.'))
            .ToDictionary(p => p[1], p => p[0], StringComparer.Ordinal);

    /// <summary>The defaults of the compose file's <c>${VAR:-default}</c> environment entries.</summary>
    private static Dictionary<string, string> ComposeEnvironment() =>
        ComposeService()["environment"]!.AsObject()
            .Select(p => (p.Key, Match: ComposeDefault().Match(p.Value!.GetValue<string>())))
            .Where(x => x.Match.Success)
            .ToDictionary(x => x.Key, x => x.Match.Groups[1].Value, StringComparer.Ordinal);

    [GeneratedRegex(@"^\$\{\w+:-(.*)\}$")]
    private static partial Regex ComposeDefault();

    [GeneratedRegex(@"\$\{?([A-Za-z]\w*)\}?")]
    private static partial Regex RefReference();
}
