using System.Text.Json.Serialization;
using System.Text.Json;
using Metrics.Core.Ports;
using Metrics.Sources.Common;

namespace Metrics.Sources.LowCode;

/// <summary>Every n8n list response: <c>{data:[…], nextCursor}</c>. Items stay raw so a malformed one fails alone.</summary>
public sealed class N8nPage
{
    /// <summary>Cursor paging: the next page is asked for with the <c>nextCursor</c> of this one.</summary>
    public static readonly PageShape<N8nPage> Shape = new("data", p => p.Data, (p, _) => p.NextCursor);

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

    /// <summary>The owning project; newer versions include it (<c>{id, name, type}</c>).</summary>
    public N8nProject? Project { get; set; }
}

public sealed class N8nProject
{
    public string? Id { get; set; }

    /// <summary>A personal project is named <c>First Last &lt;email&gt;</c> by n8n.</summary>
    public string? Name { get; set; }

    /// <summary><c>personal</c> or <c>team</c>.</summary>
    public string? Type { get; set; }
}

public sealed class N8nExecution
{
    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? Id { get; set; }

    [JsonConverter(typeof(StringOrNumberConverter))]
    public string? WorkflowId { get; set; }

    /// <summary><c>canceled, crashed, error, new, running, success, unknown, waiting</c>.</summary>
    public string? Status { get; set; }

    public string? Mode { get; set; }

    /// <summary>Null while the execution is queued (status <c>new</c>).</summary>
    public DateTimeOffset? StartedAt { get; set; }
}

public sealed class N8nProjectMember
{
    public string? Id { get; set; }

    public string? Email { get; set; }

    public string? Role { get; set; }
}

/// <summary>The durable position of the newest-first execution scan, stored as the source's checkpoint.</summary>
public sealed class N8nCheckpoint
{
    /// <summary>Every execution started before this (minus the overlap) was read by a finished scan.</summary>
    public DateTimeOffset? Through { get; set; }

    /// <summary>An unfinished scan: where it resumes, how far down it must go, and the newest start it saw.</summary>
    public N8nScan? Scan { get; set; }

    /// <summary>
    /// Project owners an unfinished pull already learned (project id to e-mail, null for none), kept when a run ends on a
    /// failed request so the next run does not ask for them again; cleared when a scan finishes, so an ownership change
    /// is seen by the next pull.
    /// </summary>
    public Dictionary<string, string?>? Owners { get; set; }
}

public sealed class N8nScan
{
    public string Cursor { get; set; } = string.Empty;

    public DateTimeOffset Floor { get; set; }

    public DateTimeOffset? Top { get; set; }
}
