using Metrics.Sources.Common;

namespace Metrics.Sources.LowCode;

/// <summary>The n8n public API. Bound from <c>Sources:LowCode</c>.</summary>
public sealed class LowCodeOptions : SourceOptions
{
    public const string SectionName = "Sources:LowCode";

    public LowCodeOptions()
    {
        // Running executions are not listed and finish below newer ids later: a wide lookback catches them.
        Overlap = TimeSpan.FromHours(6);
    }

    // BaseUrl is the public API root, e.g. https://n8n.example.com/api/v1 .

    /// <summary>An owner's API key (a key only sees executions of workflows shared with its user). Never logged.</summary>
    [Secret]
    public string? ApiKey { get; set; }

    /// <summary>Node type prefixes that make a workflow an AI workflow.</summary>
    public List<string> AiNodeTypePrefixes { get; set; } = ["@n8n/n8n-nodes-langchain."];

    /// <summary>Further exact node types that count as AI (e.g. <c>n8n-nodes-base.openAi</c>).</summary>
    public List<string> AiNodeTypes { get; set; } = ["n8n-nodes-base.openAi"];

    /// <summary>Whether a builder's save of an AI workflow also counts as <c>ai.used</c> (once per workflow and day).</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool CountBuilds { get; set; } = true;

    /// <summary>The person behind a team project, by project id, when it has no single admin.</summary>
    public Dictionary<string, string> ProjectPeople { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The API key header n8n's public API authenticates with.</summary>
    public override void ConfigureClient(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (ApiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-N8N-API-KEY", ApiKey);
        }
    }
}

public sealed class LowCodeOptionsValidator() : SourceOptionsValidator<LowCodeOptions>(LowCodeOptions.SectionName)
{
    protected override void ValidateEnabled(LowCodeOptions options, List<string> errors)
    {
        base.ValidateEnabled(options, errors);
        RequireText(options.ApiKey, "ApiKey", errors);
        if (options.AiNodeTypePrefixes.Count + options.AiNodeTypes.Count == 0)
        {
            errors.Add($"{Section}:AiNodeTypePrefixes or {Section}:AiNodeTypes must name at least one AI node type.");
        }

        if (options.PageSize > 250)
        {
            errors.Add($"{Section}:PageSize must be at most 250 (the n8n API maximum).");
        }
    }
}
