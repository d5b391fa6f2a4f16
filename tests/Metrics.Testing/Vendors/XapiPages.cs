using System.Text.Json.Nodes;

namespace Metrics.Testing.Vendors;

/// <summary>
/// xAPI statements for scenario tests, each a copy of a statement of the recorded StatementResult
/// (<c>vendor-pages/xapi/statements.json</c>, Appendix A of the xAPI specification) or of its voiding example
/// (<c>voiding.json</c>, xAPI Data §2.3.2) with the scenario's values put in.
/// </summary>
public static class XapiPages
{
    public const string Vendor = "xapi";
    public const string Adl = "http://adlnet.gov/expapi/verbs/";
    public const string CoursePrefix = "https://lms.example.com/courses/";
    public const string CourseType = "http://adlnet.gov/expapi/activities/course";

    /// <summary>
    /// The spec's "attempted" example (an Agent with an <c>mbox</c>, a result, <c>stored</c>, <c>authority</c>) with the
    /// long example's typed Activity as object and its context.
    /// </summary>
    public static JsonObject Statement(string id, string verb, string objectId, string stored, string? timestamp = null, string mbox = "mailto:Ana.Silva@Example.com", string? type = null)
    {
        var statement = VendorPages.Item(Vendor, "statements.json", "statements", 0);
        var typed = VendorPages.Item(Vendor, "statements.json", "statements", 3);
        statement["object"] = typed["object"]!.DeepClone();
        statement["context"] = typed["context"]!.DeepClone();
        return statement
            .Set("id", id)
            .Set("actor.mbox", mbox)
            .Set("verb.id", verb)
            .Set("verb.display", new JsonObject { ["en-US"] = verb[(verb.LastIndexOfAny(['/', '#']) + 1)..] })
            .Set("object.id", objectId)
            .Set("object.definition.type", type ?? CourseType)
            .Set("timestamp", timestamp ?? stored)
            .Set("stored", stored);
    }

    /// <summary>An Agent as the statements name it: the recorded learner with another name and address.</summary>
    public static JsonObject Mbox(string email, string name) =>
        VendorPages.Item(Vendor, "statements.json", "statements", 0)["actor"]!.DeepClone().AsObject()
            .Set("name", name)
            .Set("mbox", "mailto:" + email);

    /// <summary>An Agent identified by an LMS account: the recorded Group member with an account.</summary>
    public static JsonObject Account(string homePage, string accountName, string name) =>
        VendorPages.Item(Vendor, "statements.json", "statements", 3)["actor"]!["member"]![0]!.DeepClone().AsObject()
            .Set("name", name)
            .Set("account.homePage", homePage)
            .Set("account.name", accountName);

    /// <summary>An Activity for <c>context.contextActivities</c> (a grouping course of a cmi5 AU): the recorded category activity.</summary>
    public static JsonObject ContextActivity(string id, string type) =>
        VendorPages.Item(Vendor, "statements.json", "statements", 3)["context"]!["contextActivities"]!["category"]![0]!.DeepClone().AsObject()
            .Set("id", id)
            .Set("definition.type", type);

    /// <summary>The spec's voiding statement, retracting <paramref name="target"/>.</summary>
    public static JsonObject Voiding(string id, string target, string stored) =>
        VendorPages.Item(Vendor, "voiding.json", "statements", 0)
            .Set("id", id)
            .Set("object.id", target)
            .Set("timestamp", stored)
            .Set("stored", stored);

    /// <summary>A StatementResult (the recorded one's envelope) with these statements and <c>more</c> link.</summary>
    public static string Result(string? more, params JsonNode[] statements) =>
        VendorPages.Page(Vendor, "statements.json")
            .Set("statements", new JsonArray([.. statements.Select(s => s.DeepClone())]))
            .Set("more", more ?? string.Empty)
            .ToJsonString();
}
