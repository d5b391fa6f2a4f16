using System.Text.Json.Nodes;

namespace Metrics.Sources.Tests.Lms;

/// <summary>Statements in the shape an LRS returns them (xAPI 1.0.3 Data §2).</summary>
public static class XapiPayloads
{
    public const string Adl = "http://adlnet.gov/expapi/verbs/";
    public const string CoursePrefix = "https://lms.example.com/courses/";

    public static JsonObject Statement(string id, string verb, string objectId, string stored, string? timestamp = null, string mbox = "mailto:Ana.Silva@Example.com", string? type = null)
    {
        var statement = new JsonObject
        {
            ["id"] = id,
            ["actor"] = new JsonObject { ["objectType"] = "Agent", ["name"] = "Ana Silva", ["mbox"] = mbox },
            ["verb"] = new JsonObject { ["id"] = verb, ["display"] = new JsonObject { ["en-US"] = verb[(verb.LastIndexOf('/') + 1)..] } },
            ["object"] = new JsonObject
            {
                ["objectType"] = "Activity",
                ["id"] = objectId,
                ["definition"] = new JsonObject
                {
                    ["name"] = new JsonObject { ["en-US"] = "AI basics" },
                    ["type"] = type ?? "http://adlnet.gov/expapi/activities/course",
                },
            },
            ["result"] = new JsonObject { ["completion"] = true, ["duration"] = "PT23M" },
            ["context"] = new JsonObject { ["registration"] = "ec531277-b57b-4c15-8d91-d292c5b2b8f7", ["platform"] = "Moodle" },
            ["timestamp"] = timestamp ?? stored,
            ["stored"] = stored,
            ["authority"] = new JsonObject { ["objectType"] = "Agent", ["account"] = new JsonObject { ["homePage"] = "https://lrs.example.com", ["name"] = "moodle" } },
            ["version"] = "1.0.0",
        };
        return statement;
    }

    public static JsonObject Voiding(string id, string target, string stored) => new()
    {
        ["id"] = id,
        ["actor"] = new JsonObject { ["objectType"] = "Agent", ["mbox"] = "mailto:lrs-admin@example.com" },
        ["verb"] = new JsonObject { ["id"] = Adl + "voided", ["display"] = new JsonObject { ["en-US"] = "voided" } },
        ["object"] = new JsonObject { ["objectType"] = "StatementRef", ["id"] = target },
        ["timestamp"] = stored,
        ["stored"] = stored,
    };

    public static string Result(string? more, params JsonNode[] statements) =>
        new JsonObject { ["statements"] = new JsonArray(statements), ["more"] = more ?? string.Empty }.ToJsonString();
}
