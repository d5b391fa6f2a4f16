using System.Text.Json.Nodes;

namespace Metrics.Grafana.Tests.Infrastructure;

/// <summary>One provisioned alert rule and the group it belongs to.</summary>
public sealed class AlertRule(string file, JsonNode group, JsonNode json)
{
    public string File { get; } = file;

    public JsonNode Group { get; } = group;

    public JsonNode Json { get; } = json;

    public static double Number(JsonNode? node) =>
        double.Parse(node?.ToJsonString() ?? throw new InvalidOperationException("missing number"), System.Globalization.CultureInfo.InvariantCulture);

    public string Uid => Json["uid"]?.GetValue<string>() ?? "";

    public string Title => Json["title"]?.GetValue<string>() ?? "";

    public string Condition => Json["condition"]?.GetValue<string>() ?? "";

    public string NoDataState => Json["noDataState"]?.GetValue<string>() ?? "NoData";

    public IReadOnlyList<JsonObject> Data => (Json["data"]?.AsArray() ?? []).Select(d => d!.AsObject()).ToList();

    public IEnumerable<JsonObject> InfluxQueries => Data.Where(d => d["datasourceUid"]?.GetValue<string>() != GrafanaFiles.ExpressionUid);

    public JsonObject Query(string refId) => Data.Single(d => d["refId"]!.GetValue<string>() == refId);

    /// <summary>The first parameter of the threshold expression <paramref name="refId"/> (the tunable value).</summary>
    public double ThresholdOf(string refId) =>
        Number(Query(refId)["model"]!["conditions"]![0]!["evaluator"]!["params"]![0]);

    public override string ToString() => Uid;
}
