using System.Text.Json;
using System.Text.Json.Serialization;
using Metrics.Sources.Common;

namespace Metrics.Sources.LowCode;

/// <summary>Every n8n list response: <c>{data:[…], nextCursor}</c>. Items stay raw so a malformed one fails alone.</summary>
public sealed class N8nPage
{
    public List<JsonElement>? Data { get; set; }

    public string? NextCursor { get; set; }
}

public sealed class N8nWorkflow
{
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Id { get; set; }

    public string? Name { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public bool? IsArchived { get; set; }

    public List<N8nNode>? Nodes { get; set; }

    public List<N8nShare>? Shared { get; set; }
}

public sealed class N8nNode
{
    public string? Type { get; set; }

    public bool? Disabled { get; set; }
}

public sealed class N8nShare
{
    public string? Role { get; set; }

    public string? ProjectId { get; set; }
}

public sealed class N8nExecution
{
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Id { get; set; }

    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? WorkflowId { get; set; }

    public string? Status { get; set; }

    public string? Mode { get; set; }

    public DateTimeOffset? StartedAt { get; set; }
}

public sealed class N8nProjectMember
{
    public string? Id { get; set; }

    public string? Email { get; set; }

    public string? Role { get; set; }
}
