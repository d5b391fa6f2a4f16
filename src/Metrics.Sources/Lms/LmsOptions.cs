using Metrics.Sources.Common;

namespace Metrics.Sources.Lms;

/// <summary>The xAPI Learning Record Store. Bound from <c>Sources:Lms</c>.</summary>
public sealed class LmsOptions : SourceOptions
{
    public const string SectionName = "Sources:Lms";

    public const string AdlVerbs = "http://adlnet.gov/expapi/verbs/";

    // BaseUrl is the xAPI endpoint, e.g. https://lrs.example.com/xapi ; statements are read from {BaseUrl}/statements.

    /// <summary>Basic-auth key of a read-all credential (results are filtered by the credential's permissions).</summary>
    public string? Username { get; set; }

    /// <summary>Basic-auth secret. Never logged.</summary>
    [Secret]
    public string? Password { get; set; }

    /// <summary>The <c>X-Experience-API-Version</c> sent on every request.</summary>
    /// <value>Default <c>1.0.3</c>.</value>
    public string Version { get; set; } = "1.0.3";

    /// <summary>Activity ids that are courses.</summary>
    public List<string> CourseActivityIds { get; set; } = [];

    /// <summary>Activity id prefixes that mark courses (e.g. <c>https://lms.example.com/courses/</c>).</summary>
    public List<string> CourseActivityPrefixes { get; set; } = [];

    /// <summary>Activity definition types that mark courses (e.g. <c>http://adlnet.gov/expapi/activities/course</c>).</summary>
    public List<string> CourseActivityTypes { get; set; } = [];

    /// <summary>Catalog course id per activity id; an activity not listed uses its id, or the rest after a matched prefix
    /// when <see cref="StripCoursePrefix"/> is set. A list of pairs, not a dictionary: activity ids are IRIs, and the
    /// <c>:</c> of <c>https:</c> would split a configuration key.</summary>
    public List<CourseIdMapping> CourseIds { get; set; } = [];

    /// <summary>Whether a course found by prefix is named by the part of its id after the prefix.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool StripCoursePrefix { get; set; } = true;

    /// <summary>Verbs that complete a course (cmi5 uses completed and passed).</summary>
    public List<string> CompletionVerbs { get; set; } = [AdlVerbs + "completed", AdlVerbs + "passed"];

    /// <summary>Verbs that enrol in a course.</summary>
    public List<string> EnrolmentVerbs { get; set; } = [AdlVerbs + "registered", AdlVerbs + "launched", AdlVerbs + "attempted"];

    /// <summary>Verbs that share knowledge.</summary>
    public List<string> ShareVerbs { get; set; } = [AdlVerbs + "shared"];

    /// <summary>When not empty, a share verb counts only on activities of these types.</summary>
    public List<string> ShareActivityTypes { get; set; } = [];

    /// <summary>Verbs that are known and deliberately not mapped: counted as ignored, not as bad items.</summary>
    public List<string> IgnoredVerbs { get; set; } =
    [
        AdlVerbs + "experienced", AdlVerbs + "progressed", AdlVerbs + "answered", AdlVerbs + "interacted",
        AdlVerbs + "initialized", AdlVerbs + "terminated", AdlVerbs + "failed", AdlVerbs + "commented",
        AdlVerbs + "mastered", AdlVerbs + "scored", AdlVerbs + "suspended", AdlVerbs + "resumed", AdlVerbs + "abandoned",
        AdlVerbs + "waived", AdlVerbs + "satisfied", "https://w3id.org/xapi/adl/verbs/satisfied", "https://w3id.org/xapi/adl/verbs/waived",
    ];

    /// <summary>The xAPI version header and HTTP Basic credentials on every request.</summary>
    public override void ConfigureClient(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Add("X-Experience-API-Version", Version);
        if (Username is not null && Password is not null)
        {
            client.DefaultRequestHeaders.Authorization = SourceHttp.Basic(Username, Password);
        }
    }
}

public sealed class LmsOptionsValidator() : SourceOptionsValidator<LmsOptions>(LmsOptions.SectionName)
{
    protected override void ValidateEnabled(LmsOptions options, List<string> errors)
    {
        base.ValidateEnabled(options, errors);
        RequireText(options.Username, "Username", errors);
        RequireText(options.Password, "Password", errors);
        if (options.Version is not ("1.0.0" or "1.0.1" or "1.0.2" or "1.0.3" or "2.0.0"))
        {
            errors.Add($"{Section}:Version must be one of 1.0.0, 1.0.1, 1.0.2, 1.0.3, 2.0.0.");
        }

        for (var i = 0; i < options.CourseIds.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.CourseIds[i].ActivityId) || string.IsNullOrWhiteSpace(options.CourseIds[i].CourseId))
            {
                errors.Add($"{Section}:CourseIds:{i} needs both ActivityId and CourseId.");
            }
        }

        if (options.CourseActivityIds.Count + options.CourseActivityPrefixes.Count + options.CourseActivityTypes.Count == 0)
        {
            errors.Add($"{Section}:CourseActivityIds, {Section}:CourseActivityPrefixes or {Section}:CourseActivityTypes must name at least one course.");
        }

        if (options.CompletionVerbs.Count == 0)
        {
            errors.Add($"{Section}:CompletionVerbs must list at least one verb IRI.");
        }
    }
}

/// <summary>Maps one LMS activity id (an IRI) to the catalog course id it counts as.</summary>
public sealed class CourseIdMapping
{
    public string ActivityId { get; set; } = string.Empty;

    public string CourseId { get; set; } = string.Empty;
}
