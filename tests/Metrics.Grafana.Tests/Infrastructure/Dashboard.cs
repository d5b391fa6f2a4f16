using System.Text.Json;
using System.Text.Json.Nodes;

namespace Metrics.Grafana.Tests.Infrastructure;

/// <summary>One dashboard JSON file.</summary>
public sealed class Dashboard
{
    private Dashboard(string path, JsonObject json)
    {
        Path = path;
        Json = json;
    }

    public string Path { get; }

    public string FileName => System.IO.Path.GetFileName(Path);

    public JsonObject Json { get; }

    public string? Uid => Json["uid"]?.GetValue<string>();

    public string Title => Json["title"]?.GetValue<string>() ?? "";

    /// <summary>Panels in order, including those nested in collapsed rows; rows themselves are left out.</summary>
    public IReadOnlyList<Panel> Panels =>
        Flatten(Json["panels"]?.AsArray() ?? []).Select(p => new Panel(this, p)).ToList();

    public IReadOnlyList<JsonObject> Variables =>
        (Json["templating"]?["list"]?.AsArray() ?? []).Select(v => v!.AsObject()).ToList();

    public static Dashboard Load(string path)
    {
        var text = File.ReadAllText(path);
        var node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow })
            ?? throw new InvalidOperationException($"{path}: empty JSON");
        return new Dashboard(path, node.AsObject());
    }

    public Panel Panel(int id) => Panels.Single(p => p.Id == id);

    private static IEnumerable<JsonObject> Flatten(JsonArray panels)
    {
        foreach (var p in panels.Select(p => p!.AsObject()))
        {
            if (p["type"]?.GetValue<string>() == "row")
            {
                foreach (var inner in Flatten(p["panels"]?.AsArray() ?? []))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return p;
            }
        }
    }

    public override string ToString() => FileName;
}

/// <summary>One panel of a dashboard.</summary>
public sealed class Panel(Dashboard dashboard, JsonObject json)
{
    public Dashboard Dashboard { get; } = dashboard;

    public JsonObject Json { get; } = json;

    public int Id => Json["id"]?.GetValue<int>() ?? -1;

    public string Title => Json["title"]?.GetValue<string>() ?? "";

    public string Type => Json["type"]?.GetValue<string>() ?? "";

    public string? Description => Json["description"]?.GetValue<string>();

    public string? Unit => Json["fieldConfig"]?["defaults"]?["unit"]?.GetValue<string>();

    public IReadOnlyList<JsonObject> Targets => (Json["targets"]?.AsArray() ?? []).Select(t => t!.AsObject()).ToList();

    /// <summary>Columns or series names whose unit is <c>percentunit</c> through an override (matcher byName).</summary>
    public IReadOnlyList<string> PercentOverrides =>
        (Json["fieldConfig"]?["overrides"]?.AsArray() ?? [])
            .Where(o => o!["matcher"]?["id"]?.GetValue<string>() == "byName"
                && (o["properties"]?.AsArray() ?? []).Any(p => p!["id"]?.GetValue<string>() == "unit" && p["value"]?.GetValue<string>() == "percentunit"))
            .Select(o => o!["matcher"]!["options"]!.GetValue<string>())
            .ToList();

    public override string ToString() => $"{Dashboard.FileName} panel {Id} '{Title}'";
}
