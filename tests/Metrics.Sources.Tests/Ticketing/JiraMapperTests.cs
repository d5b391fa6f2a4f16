using System.Text.Json;
using System.Text.Json.Nodes;
using Metrics.Core.Events;
using Metrics.Sources.Common;
using Metrics.Sources.Ticketing;
using Metrics.Testing.Vendors;
using static Metrics.Testing.Vendors.JiraPages;

namespace Metrics.Sources.Tests.Ticketing;

public sealed class JiraMapperTests
{
    private static TicketingOptions Options() => new()
    {
        Proposal = new IssueMatch { Labels = ["ai-idea"] },
        Decision = new IssueMatch { IssueTypes = ["Decision"] },
        Project = new IssueMatch { IssueTypes = ["Epic"], Labels = ["ai-project"] },
        Retrospective = new IssueMatch { IssueTypes = ["Retrospective"] },
        AiAssisted = new IssueMatch { Field = "customfield_10050", FieldValues = ["Yes"] },
    };

    private static Dictionary<string, CanonicalEvent> Map(JsonObject issue, TicketingOptions? options = null, PageBuilder? page = null)
    {
        page ??= new PageBuilder("ticketing");
        new JiraMapper(options ?? Options()).Map(JsonDocument.Parse(issue.ToJsonString()).RootElement, page);
        return page.Events.ToDictionary(e => e.Id);
    }

    [Fact]
    public void Map_ProposalByLabelResolvedWontDo_SubmittedButNotAdopted()
    {
        var events = Map(Issue("1", "AI-1", "Story", "2026-03-02T09:00:00.000+0000", "2026-03-03T09:00:00.000+0000",
            labels: ["ai-idea"], resolution: "Won't Do", resolutionDate: "2026-03-03T09:00:00.000+0000", statusCategory: "done"));

        Assert.Equal(["1:proposal.submitted"], events.Keys);
    }

    [Fact]
    public void Map_DecisionWithAiCustomFieldOption_IsAiAssistedAndEmitsAiUsedForAssignee()
    {
        var events = Map(Issue("2", "AI-2", "Decision", "2026-03-02T09:00:00.000+0000", "2026-03-03T09:00:00.000+0000",
            assignee: User("abc", "Bo@Example.com"), resolution: "Done", resolutionDate: "2026-03-03T09:00:00.000+0000", statusCategory: "done",
            extra: f => f["customfield_10050"] = new JsonObject { ["self"] = "x", ["value"] = "Yes", ["id"] = "10100" }));

        Assert.True(events["2:decision"].AiAssisted);
        Assert.Equal("bo@example.com", events["2:decision"].Person);
        Assert.Contains("\"aiAssisted\":true", events["2:decision"].AttributesJson, StringComparison.Ordinal);
        Assert.Equal("bo@example.com", events["2:ai.used"].Person);
    }

    [Fact]
    public void Map_DecisionWithoutAiField_NotAiAssistedAndUnresolvedDecisionSkipped()
    {
        var resolved = Map(Issue("3", "AI-3", "Decision", "2026-03-02T09:00:00.000+0000", "2026-03-03T09:00:00.000+0000",
            resolution: "Done", resolutionDate: "2026-03-03T09:00:00.000+0000", statusCategory: "done",
            extra: f => f["customfield_10050"] = new JsonObject { ["value"] = "No" }));
        var open = Map(Issue("4", "AI-4", "Decision", "2026-03-02T09:00:00.000+0000", "2026-03-03T09:00:00.000+0000"));

        Assert.False(resolved["3:decision"].AiAssisted);
        Assert.False(resolved.ContainsKey("3:ai.used"));
        Assert.Empty(open);
    }

    [Theory]
    [InlineData("Done", null, EventType.ProjectCompleted)]
    [InlineData("Won't Do", null, EventType.ProjectFailed)]
    [InlineData("Done", "failed", EventType.ProjectFailed)]
    public void Map_DoneProjectEpic_StartedAndCompletedOrFailedWithMembers(string resolution, string? label, EventType expected)
    {
        var events = Map(Issue("5", "AI-5", "Epic", "2026-01-02T09:00:00.000+0000", "2026-03-03T09:00:00.000+0000",
            labels: label is null ? ["ai-project"] : ["ai-project", label], assignee: User("acc-2"),
            resolution: resolution, resolutionDate: "2026-03-03T09:00:00.000+0000", statusCategory: "done"));

        Assert.Equal(EventType.ProjectStarted, events["5:project.started"].Type);
        Assert.Equal("AI-5", events["5:project.started"].Subject);
        Assert.Single(events.Values, e => e.Type == expected);
        Assert.Equal(2, events.Values.Count(e => e.Type == EventType.ProjectMember && e.Subject == "AI-5"));
        Assert.Contains("5:member:jira:acc-2", events.Keys);
    }

    [Fact]
    public void Map_ChildOfProjectEpic_MakesReporterAndAssigneeMembersOnCreationDay()
    {
        var events = Map(Issue("6", "AI-6", "Task", "2026-02-10T09:00:00.000+0000", "2026-02-11T09:00:00.000+0000",
            assignee: User("acc-3", "cy@example.com"), parent: Parent("5", "AI-5", "Epic")));

        Assert.Equal(2, events.Count);
        Assert.All(events.Values, e => Assert.Equal("AI-5", e.Subject));
        Assert.All(events.Values, e => Assert.Equal(new DateTimeOffset(2026, 2, 10, 9, 0, 0, TimeSpan.Zero), e.Time));
        Assert.Contains(events.Values, e => e.Person == "cy@example.com");
    }

    [Fact]
    public void Map_Retrospective_LinkedToParentProject()
    {
        var events = Map(Issue("7", "AI-7", "Retrospective", "2026-03-05T09:00:00.000+0000", "2026-03-05T09:00:00.000+0000",
            parent: Parent("5", "AI-5", "Epic")));

        Assert.Equal("AI-5", events["7:retrospective"].Subject);
        Assert.Equal(EventType.ProjectRetrospective, events["7:retrospective"].Type);
    }

    [Fact]
    public void Map_NoIdentityAndNoRule_ReportedAsBadAndIgnored()
    {
        var page = new PageBuilder("ticketing");
        var anonymous = Issue("8", "AI-8", "Story", "2026-03-02T09:00:00.000+0000", "2026-03-02T09:00:00.000+0000", labels: ["ai-idea"]);
        anonymous.Set("fields.reporter", null);
        Map(anonymous, page: page);
        Map(Issue("9", "AI-9", "Bug", "2026-03-02T09:00:00.000+0000", "2026-03-02T09:00:00.000+0000"), page: page);

        var built = page.Build(null);
        Assert.Empty(built.Events);
        Assert.Equal("AI-8", Assert.Single(built.BadItems).ItemId);
        Assert.Equal(1, built.Ignored["issue matches no rule"]);
    }

    [Fact]
    public void Fields_IncludesRuleCustomFieldsAndStandardFields()
    {
        var fields = new JiraMapper(Options()).Fields().Split(',');

        Assert.Contains("customfield_10050", fields);
        Assert.Contains("updated", fields);
        Assert.Equal(fields.Length, fields.Distinct().Count());
    }
}
