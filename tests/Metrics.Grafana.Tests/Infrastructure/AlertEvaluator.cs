using System.Globalization;
using System.Text.Json.Nodes;

namespace Metrics.Grafana.Tests.Infrastructure;

/// <summary>One alert instance: the labels of a series and the number an expression gave it.</summary>
public sealed record AlertInstance(IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Label(string name) => Labels.TryGetValue(name, out var v) ? v : "";

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{{{string.Join(", ", Labels.Select(l => $"{l.Key}={l.Value}"))}}} = {Value}");
}

/// <summary>The result of one evaluation of a rule at an instant.</summary>
public sealed record AlertOutcome(bool NoData, string NoDataState, IReadOnlyList<AlertInstance> Instances, IReadOnlyDictionary<string, IReadOnlyList<AlertInstance>> Steps)
{
    /// <summary>Instances whose condition is true (not 0, not NaN).</summary>
    public IReadOnlyList<AlertInstance> Firing => Instances.Where(i => i.Value != 0 && !double.IsNaN(i.Value)).ToList();

    /// <summary>Whether anything alerts: a firing instance, or no data where the rule maps no data to Alerting.</summary>
    public bool Alerting => Firing.Count > 0 || (NoData && NoDataState == "Alerting");

    public override string ToString() =>
        $"noData={NoData}; " + string.Join("; ", Steps.Select(s => $"{s.Key}: [{string.Join(", ", s.Value)}]"));
}

/// <summary>
/// The part of Grafana's alert evaluation the provisioned rules use: each InfluxQL query runs over its
/// relativeTimeRange (macros applied as Grafana's InfluxDB backend does), one series per tag set; then the server-side
/// expressions reduce (last, mean, max, min, sum, count; mode dropNN), math (+ - * /, comparisons, &amp;&amp; ||,
/// label matching) and threshold (gt, lt, within_range, outside_range). The condition's instances are the alert
/// instances; an empty condition is no data.
/// </summary>
public static class AlertEvaluator
{
    public static async Task<AlertOutcome> EvaluateAsync(AlertRule rule, Func<string, Task<IReadOnlyList<InfluxSeries>>> query, DateTimeOffset now)
    {
        var series = new Dictionary<string, IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<double?> Values)>>(StringComparer.Ordinal);
        var numbers = new Dictionary<string, IReadOnlyList<AlertInstance>>(StringComparer.Ordinal);
        foreach (var data in rule.Data)
        {
            var refId = data["refId"]!.GetValue<string>();
            var model = data["model"]!;
            if (data["datasourceUid"]!.GetValue<string>() != GrafanaFiles.ExpressionUid)
            {
                var range = data["relativeTimeRange"]!;
                var from = now.AddSeconds(-AlertRule.Number(range["from"]));
                var to = now.AddSeconds(-AlertRule.Number(range["to"]));
                var text = GrafanaMacros.Apply(model["query"]!.GetValue<string>(), from, to);
                var result = await query(text);
                series[refId] = result.Select(s => ((IReadOnlyDictionary<string, string>)s.Tags.Where(t => t.Value.Length > 0).ToDictionary(), s.Column())).ToList();
                continue;
            }

            var type = model["type"]!.GetValue<string>();
            var input = model["expression"]!.GetValue<string>();
            numbers[refId] = type switch
            {
                "reduce" => Reduce(series, input, model),
                "math" => new MathExpression(input).Evaluate(numbers),
                "threshold" => Threshold(numbers, input, model),
                _ => throw new NotSupportedException($"{rule.Uid}: expression type '{type}' is not evaluated by the tests"),
            };
        }

        var condition = numbers.TryGetValue(rule.Condition, out var c)
            ? c
            : throw new InvalidOperationException($"{rule.Uid}: condition {rule.Condition} is not an expression");
        return new AlertOutcome(condition.Count == 0, rule.NoDataState, condition, numbers);
    }

    private static List<AlertInstance> Reduce(
        Dictionary<string, IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<double?> Values)>> series, string input, JsonNode model)
    {
        var reducer = model["reducer"]!.GetValue<string>();
        var dropNonNumbers = model["settings"]?["mode"]?.GetValue<string>() == "dropNN";
        if (!series.TryGetValue(input, out var frames))
        {
            throw new InvalidOperationException($"reduce of '{input}', which is not a query run before it");
        }

        var result = new List<AlertInstance>();
        foreach (var (labels, raw) in frames)
        {
            var values = raw.Select(v => v ?? double.NaN).Where(v => !dropNonNumbers || !double.IsNaN(v)).ToList();
            var value = values.Count == 0 && reducer != "count"
                ? double.NaN
                : reducer switch
                {
                    "last" => values[^1],
                    "mean" => values.Average(),
                    "max" => values.Max(),
                    "min" => values.Min(),
                    "sum" => values.Sum(),
                    "count" => values.Count,
                    _ => throw new NotSupportedException($"reducer '{reducer}'"),
                };
            result.Add(new AlertInstance(labels, value));
        }

        return result;
    }

    private static List<AlertInstance> Threshold(Dictionary<string, IReadOnlyList<AlertInstance>> numbers, string input, JsonNode model)
    {
        var evaluator = model["conditions"]![0]!["evaluator"]!;
        var op = evaluator["type"]!.GetValue<string>();
        var p = evaluator["params"]!.AsArray().Select(AlertRule.Number).ToList();
        var source = numbers.TryGetValue(input.TrimStart('$'), out var n) ? n : throw new InvalidOperationException($"threshold of unknown '{input}'");
        return source.Select(i => i with
        {
            Value = op switch
            {
                "gt" => i.Value > p[0] ? 1 : 0,
                "lt" => i.Value < p[0] ? 1 : 0,
                "within_range" => i.Value > p[0] && i.Value < p[1] ? 1 : 0,
                "outside_range" => i.Value < p[0] || i.Value > p[1] ? 1 : 0,
                _ => throw new NotSupportedException($"threshold type '{op}'"),
            },
        }).ToList();
    }
}
