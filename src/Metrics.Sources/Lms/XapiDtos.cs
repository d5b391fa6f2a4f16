using System.Text.Json.Serialization;
using System.Text.Json;
using Metrics.Core.Ports;
using Metrics.Sources.Common;

namespace Metrics.Sources.Lms;

/// <summary>xAPI StatementResult. Statements stay raw so one malformed statement fails alone.</summary>
public sealed class XapiStatementResult
{
    /// <summary>Link paging: <c>more</c> is resolved against the LRS origin and must stay on it.</summary>
    public static PageShape<XapiStatementResult> Shape(Uri origin) =>
        new("statements", r => r.Statements, (r, _) => XapiSource.NextLink(r.More, origin, "statements"));

    public List<JsonElement>? Statements { get; set; }

    /// <summary>Relative IRL of the next page, or empty at the end.</summary>
    public string? More { get; set; }
}

public sealed class XapiStatement
{
    public string? Id { get; set; }

    public XapiAgent? Actor { get; set; }

    public XapiVerb? Verb { get; set; }

    [JsonPropertyName("object")]
    public XapiObject? Target { get; set; }

    public XapiResult? Result { get; set; }

    public XapiContext? Context { get; set; }

    /// <summary>Kept as text: the spec says a timestamp SHOULD (not MUST) carry a time zone; see <see cref="XapiMapper.EventTime"/>.</summary>
    public string? Timestamp { get; set; }

    public DateTimeOffset? Stored { get; set; }
}

public sealed class XapiAgent
{
    public string? ObjectType { get; set; }

    public string? Mbox { get; set; }

    [JsonPropertyName("mbox_sha1sum")]
    public string? MboxSha1Sum { get; set; }

    public string? Openid { get; set; }

    public XapiAccount? Account { get; set; }
}

public sealed class XapiAccount
{
    public string? HomePage { get; set; }

    public string? Name { get; set; }
}

public sealed class XapiVerb
{
    public string? Id { get; set; }
}

public sealed class XapiObject
{
    public string? ObjectType { get; set; }

    public string? Id { get; set; }

    public XapiActivityDefinition? Definition { get; set; }
}

public sealed class XapiActivityDefinition
{
    public string? Type { get; set; }
}

public sealed class XapiResult
{
    public bool? Completion { get; set; }

    public bool? Success { get; set; }
}

public sealed class XapiContext
{
    public string? Registration { get; set; }

    public XapiContextActivities? ContextActivities { get; set; }
}

public sealed class XapiContextActivities
{
    public List<XapiObject>? Parent { get; set; }

    public List<XapiObject>? Grouping { get; set; }
}
