using System.Text.Json;
using System.Text.Json.Nodes;
using Metrics.Core.Events;
using Metrics.Core.Ports;
using Metrics.Sources.Common;
using Metrics.Sources.Lms;
using Metrics.Testing.Vendors;
using static Metrics.Testing.Vendors.XapiPages;

namespace Metrics.Sources.Tests.Lms;

public sealed class XapiMapperTests
{
    private static SourcePage Map(LmsOptions options, params JsonObject[] statements)
    {
        var page = new PageBuilder("lms");
        var mapper = new XapiMapper(options);
        foreach (var s in statements)
        {
            mapper.Map(JsonDocument.Parse(s.ToJsonString()).RootElement, page);
        }

        return page.Build(null);
    }

    [Fact]
    public void Map_CourseByIdMap_UsesCatalogId()
    {
        var options = new LmsOptions { CourseIds = [new CourseIdMapping { ActivityId = "https://lms.example.com/xapi/activities/course-7f3a", CourseId = "ai-basics" }], CourseActivityIds = ["https://lms.example.com/xapi/activities/course-7f3a"] };

        var page = Map(options, Statement("s1", Adl + "completed", "https://lms.example.com/xapi/activities/course-7f3a", "2026-03-05T08:00:00Z"));

        Assert.Equal("ai-basics", Assert.Single(page.Events).Subject);
    }

    [Fact]
    public void Map_Cmi5AuUnderCourseGrouping_UsesGroupingCourse()
    {
        var statement = Statement("s1", Adl + "passed", "https://lms.example.com/au/quiz-1", "2026-03-05T08:00:00Z", type: "http://adlnet.gov/expapi/activities/lesson");
        statement.Set("context.contextActivities", new JsonObject
        {
            ["grouping"] = new JsonArray(ContextActivity("https://lms.example.com/cmi5/course-ai", "https://w3id.org/xapi/cmi5/activitytype/course")),
        });
        var options = new LmsOptions { CourseActivityTypes = ["https://w3id.org/xapi/cmi5/activitytype/course"] };

        var page = Map(options, statement);

        var e = Assert.Single(page.Events);
        Assert.Equal(EventType.TrainingCompleted, e.Type);
        Assert.Equal("https://lms.example.com/cmi5/course-ai", e.Subject);
    }

    [Fact]
    public void Map_PassedWithSuccessFalse_IsBad()
    {
        var statement = Statement("s1", Adl + "passed", CoursePrefix + "c1", "2026-03-05T08:00:00Z");
        statement.Set("result.success", false);

        var page = Map(new LmsOptions { CourseActivityPrefixes = [CoursePrefix] }, statement);

        Assert.Empty(page.Events);
        Assert.Equal("s1", Assert.Single(page.BadItems).ItemId);
    }

    [Fact]
    public void Map_ShareVerbLimitedToTypes_OnlyConfiguredTypesShared()
    {
        var options = new LmsOptions { ShareActivityTypes = ["http://id.tincanapi.com/activitytype/blog"] };

        var page = Map(options,
            Statement("s1", Adl + "shared", "https://wiki.example.com/post/42", "2026-03-05T08:00:00Z", type: "http://id.tincanapi.com/activitytype/blog"),
            Statement("s2", Adl + "shared", "https://lms.example.com/video/1", "2026-03-05T08:00:00Z", type: "https://w3id.org/xapi/video/activity-type/video"));

        var e = Assert.Single(page.Events);
        Assert.Equal(EventType.KnowledgeShared, e.Type);
        Assert.Equal("https://wiki.example.com/post/42", e.Subject);
        Assert.Equal(1, page.Ignored["shared activity type not configured"]);
    }

    [Fact]
    public void Map_EnrolmentVerbsConfigurable_OnlyListedVerbsEnrol()
    {
        var options = new LmsOptions { CourseActivityPrefixes = [CoursePrefix], EnrolmentVerbs = [Adl + "registered"] };

        var page = Map(options,
            Statement("s1", Adl + "registered", CoursePrefix + "c1", "2026-03-05T08:00:00Z"),
            Statement("s2", Adl + "launched", CoursePrefix + "c1", "2026-03-05T08:00:00Z"));

        Assert.Equal("s1", Assert.Single(page.Events).Id);
        Assert.Empty(page.BadItems);
        Assert.Equal(1, page.Ignored["verb not mapped by configuration"]);
    }

    [Fact]
    public void NextLink_RelativeIrl_ResolvedAgainstOriginNotXapiPath()
    {
        var origin = new Uri("https://lrs.example.com");

        Assert.Equal("https://lrs.example.com/lrs/xapi/statements?more=abc", XapiSource.NextLink("/lrs/xapi/statements?more=abc", origin, "p"));
        Assert.Null(XapiSource.NextLink("", origin, "p"));
        Assert.Throws<SourcePageException>(() => XapiSource.NextLink("https://elsewhere.example.com/x", origin, "p"));
    }
}
