using System.Text.Json;

namespace Metrics.Core.Kpis;

/// <summary>
/// The AI tools the per-tool KPIs (<c>ai_tool_users</c>, <c>ai_tool_usage_rate</c>) tell apart: the <c>tool</c> values
/// the connectors write, plus <see cref="Other"/> for any other value and <see cref="Unspecified"/> for an
/// <c>ai.used</c> without one. The list is fixed so a source (or a push API client) sending arbitrary tool names can
/// add at most two series per group, never one per name, and every <c>tool</c> tag value is known to be safe.
/// </summary>
public static class AiTools
{
    /// <summary>How many buckets there are: the known tools, <see cref="Other"/> and <see cref="Unspecified"/>.</summary>
    public const int Count = 13;

    public const string Other = "other";

    public const string Unspecified = "unspecified";

    /// <summary>Every bucket by its index; the index is what the engine keeps per person.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        // Microsoft 365 Copilot, one per app of the usage report.
        "chat", "teams", "word", "excel", "powerpoint", "outlook", "onenote", "loop",
        "github-copilot",
        // Tickets handled with AI, and AI steps of low-code workflows (any n8n node type).
        "jira", "n8n",
        Other, Unspecified,
    ];

    public const int OtherIndex = Count - 2;

    public const int UnspecifiedIndex = Count - 1;

    private static readonly Dictionary<string, int> Known = Names.Take(Count - 2)
        .Select((name, i) => (name, i))
        .ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);

    private static readonly int N8nIndex = Known["n8n"];

    /// <summary>The bucket of a <c>tool</c> attribute value: trimmed and lowercased, n8n node types as <c>n8n</c>.</summary>
    public static int Classify(string? tool)
    {
        if (string.IsNullOrWhiteSpace(tool))
        {
            return UnspecifiedIndex;
        }

        var name = tool.Trim().ToLowerInvariant();
        if (Known.TryGetValue(name, out var index))
        {
            return index;
        }

        // The n8n connector writes the AI node's type, e.g. @n8n/n8n-nodes-langchain.openAi.
        return name.StartsWith("@n8n/", StringComparison.Ordinal) || name.StartsWith("n8n-nodes-", StringComparison.Ordinal)
            ? N8nIndex
            : OtherIndex;
    }

    /// <summary>The bucket of an event's attributes object (as kept in the journal): its <c>tool</c> string, if any.</summary>
    public static int FromAttributes(string attributesJson)
    {
        if (string.IsNullOrEmpty(attributesJson) || !attributesJson.Contains("\"tool\"", StringComparison.Ordinal))
        {
            return UnspecifiedIndex;
        }

        try
        {
            using var doc = JsonDocument.Parse(attributesJson);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("tool", out var tool) && tool.ValueKind == JsonValueKind.String
                ? Classify(tool.GetString())
                : UnspecifiedIndex;
        }
        catch (JsonException)
        {
            // The parser only accepts objects, so this is a journal written by something else: count the use, not the tool.
            return UnspecifiedIndex;
        }
    }

    public static string Name(int index) => Names[index];
}
