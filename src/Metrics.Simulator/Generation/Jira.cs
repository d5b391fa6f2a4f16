using System.Globalization;
using System.Text.Json.Nodes;
using Metrics.Core.Directory;
using Metrics.Core.Events;

namespace Metrics.Simulator.Generation;

/// <summary>A Jira account; <see cref="Email"/> is null when the profile hides it.</summary>
public sealed record JiraAccount(string AccountId, string? Email, string DisplayName, bool Active)
{
    public string? Identity => Email is not null ? PersonKey.Normalize(Email) : PersonKey.Normalize("jira:" + AccountId);
}

/// <summary>A served issue: what JQL filters and orders on, and its fields as Jira returns them.</summary>
public sealed record JiraIssue(long Id, string Key, string Project, string Type, DateTimeOffset? Created, DateTimeOffset? Updated,
    IReadOnlyList<string> Labels, string Status, string StatusCategory, string? Resolution, JsonObject Fields);

public sealed class JiraData
{
    /// <summary>Ordered by id.</summary>
    public required IReadOnlyList<JiraIssue> Issues { get; init; }

    /// <summary>The projects the worker's JQL restriction names.</summary>
    public required IReadOnlyList<string> Projects { get; init; }
}

/// <summary>
/// Generates Jira Cloud: ideas (proposals) increasingly from the frontline and some adopted, decisions increasingly
/// AI-assisted, epics with tasks across departments, failed projects with and without (timely) retrospectives, a sandbox
/// project outside the worker's query, and a few malformed issues.
/// </summary>
public static class JiraGenerator
{
    public const string Source = "ticketing";
    public const string AiLabel = "ai-assisted";
    public static readonly IReadOnlyList<string> QueriedProjects = ["AIP", "OPS", "PRJ"];

    private sealed class Spec
    {
        public required string Project { get; init; }

        public required string Type { get; init; }

        public required string Summary { get; init; }

        public DateTimeOffset? Created { get; set; }

        public JiraAccount? Reporter { get; set; }

        public JiraAccount? Assignee { get; set; }

        public List<string> Labels { get; } = [];

        public string Status { get; set; } = "To Do";

        public string Category { get; set; } = "new";

        public string? Resolution { get; set; }

        public DateTimeOffset? ResolutionDate { get; set; }

        public DateTimeOffset Updated { get; set; }

        public Spec? Parent { get; set; }

        public Spec? LinkTo { get; set; }

        /// <summary>A raw <c>created</c> value that overrides the time (malformed items).</summary>
        public JsonNode? CreatedOverride { get; set; }

        public bool OverrideCreated { get; set; }

        public long Id { get; set; }

        public string Key { get; set; } = string.Empty;

        public DateTimeOffset OrderTime => Created ?? Updated;

        public void Resolve(string status, string resolution, DateTimeOffset at, DateTimeOffset updated)
        {
            Status = status;
            Category = "done";
            Resolution = resolution;
            ResolutionDate = at;
            Updated = updated;
        }
    }

    public static JiraData Generate(Company company, DateOnly?[] adoption, GroundTruth truth, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(adoption);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(options);
        var story = company.Story;
        var rng = new Rng(options.Seed, "jira");
        var specs = new List<Spec>();
        var accounts = company.Employees.ToDictionary(e => e.Index, e => new JiraAccount(e.JiraAccountId, e.JiraEmailHidden ? null : e.Email, e.DisplayName, e.End is null));
        foreach (var e in company.Employees.Where(e => e.JiraEmailHidden))
        {
            truth.Expect(Source, "jira:" + e.JiraAccountId, DifferenceKind.Unresolved, "Jira profile hides the e-mail; jira:<accountId> is linked to no person");
        }

        var contractors = Enumerable.Range(1, 3).Select(i => new JiraAccount("712020:" + rng.Uuid(), null, "Contractor " + i.ToString(CultureInfo.InvariantCulture), true)).ToList();
        foreach (var c in contractors)
        {
            truth.Expect(Source, "jira:" + c.AccountId, DifferenceKind.Unresolved, "external contractor without a visible e-mail; in no directory");
        }

        DateTimeOffset Later(DateTimeOffset from, int minDays, int maxDays) =>
            story.BeforeEnd(story.WorkTime(story.DayOf(from).AddDays(rng.Between(minDays, maxDays)), rng) is var t && t > from ? t : from.AddHours(1));

        Spec New(string project, string type, string summary, DateTimeOffset created, JiraAccount? reporter, JiraAccount? assignee)
        {
            var s = new Spec { Project = project, Type = type, Summary = summary, Created = created, Reporter = reporter, Assignee = assignee };
            s.Updated = Later(created, 0, 5);
            specs.Add(s);
            return s;
        }

        foreach (var day in story.AllDays.Where(Story.IsWorkday))
        {
            var t = story.Progress(day);
            var people = company.InScope(day).ToList();

            // Proposals: more of them over time, and more from the frontline.
            var proposals = Poisson(rng, company.Employees.Count / 110.0 * (0.4 + 1.4 * t));
            for (var i = 0; i < proposals; i++)
            {
                var frontline = rng.Chance(0.12 + 0.55 * t);
                var pool = people.Where(p => (p.On(day)!.Level == Level.Frontline) == frontline).ToList();
                if (pool.Count == 0)
                {
                    continue;
                }

                var proposer = rng.Pick(pool);
                var s = New("AIP", "Idea", "Use AI to " + rng.Pick(Ideas), story.WorkTime(day, rng), accounts[proposer.Index], null);
                var fate = rng.Next();
                if (fate < 0.32)
                {
                    var at = Later(s.Created!.Value, 7, 80);
                    s.Resolve("Done", rng.Chance(0.7) ? "Adopted" : "Done", at, Later(at, 0, 3));
                }
                else if (fate < 0.55)
                {
                    var at = Later(s.Created!.Value, 3, 40);
                    s.Resolve("Closed", "Won't Do", at, Later(at, 0, 2));
                }
                else
                {
                    s.Status = "Under Review";
                    s.Category = "indeterminate";
                }
            }

            // Decisions: recorded by managers and leads, more and more with AI assistance where AI has caught on.
            var decisions = Poisson(rng, company.Employees.Count / 70.0);
            var deciders = people.Where(p => p.On(day)!.Level is Level.Manager or Level.Executive or Level.Specialist).ToList();
            for (var i = 0; i < decisions && deciders.Count > 0; i++)
            {
                var decider = rng.Pick(deciders);
                var reporter = decider.Manager is { } m && m.On(day) is not null ? m : decider;
                var s = New("OPS", "Decision", "Decide on " + rng.Pick(Topics), story.WorkTime(day, rng), accounts[reporter.Index], accounts[decider.Index]);
                if (rng.Chance((0.08 + 0.6 * t) * decider.On(day)!.Department.AiAffinity * 1.3))
                {
                    s.Labels.Add(AiLabel);
                }

                if (rng.Chance(0.85))
                {
                    var at = Later(s.Created!.Value, 1, 15);
                    s.Resolve("Done", "Done", at, Later(at, 0, 1));
                }
                else
                {
                    s.Status = "In Progress";
                    s.Category = "indeterminate";
                }
            }

            // Everyday tickets that no rule matches.
            if (rng.Chance(0.4) && people.Count > 0)
            {
                var who = rng.Pick(people);
                New("OPS", "Bug", "Fix " + rng.Pick(Topics), story.WorkTime(day, rng), accounts[who.Index], accounts[who.Index]);
            }
        }

        Projects(company, rng, accounts, contractors, New, Later);
        var malformed = Malformed(company, rng, accounts, New);

        // A sandbox outside the worker's JQL: its ideas would be proposals if the query were not honoured.
        for (var i = 0; i < 3; i++)
        {
            var who = company.Employees[i];
            var s = New("TEST", "Idea", "Sandbox idea " + (i + 1).ToString(CultureInfo.InvariantCulture), story.WorkTime(story.DayAt(0.2 + 0.2 * i), rng), accounts[who.Index], null);
            s.Labels.Add("sandbox");
        }

        var ordered = specs.Select((s, i) => (s, i)).OrderBy(x => x.s.OrderTime.UtcTicks).ThenBy(x => x.i).Select(x => x.s).ToList();
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < ordered.Count; i++)
        {
            var s = ordered[i];
            s.Id = 10001 + i;
            counters[s.Project] = counters.GetValueOrDefault(s.Project) + 1;
            s.Key = s.Project + "-" + counters[s.Project].ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (s, reason) in malformed)
        {
            truth.Expect(Source, s.Key, DifferenceKind.Rejected, reason);
        }

        foreach (var s in ordered.Where(s => s.Project == "TEST"))
        {
            truth.Expect(Source, s.Key, DifferenceKind.OutsideQuery, "project TEST is outside the configured JQL restriction");
        }

        foreach (var s in ordered.Where(s => QueriedProjects.Contains(s.Project) && !malformed.Any(m => m.Spec == s)))
        {
            Map(s, truth);
        }

        return new JiraData { Issues = [.. ordered.Select(Issue)], Projects = QueriedProjects };
    }

    private static void Projects(Company company, Rng rng, Dictionary<int, JiraAccount> accounts, List<JiraAccount> contractors,
        Func<string, string, string, DateTimeOffset, JiraAccount?, JiraAccount?, Spec> create, Func<DateTimeOffset, int, int, DateTimeOffset> later)
    {
        var story = company.Story;
        var count = Math.Max(6, company.Employees.Count / 8);
        for (var p = 0; p < count; p++)
        {
            var startDay = story.DayAt(0.85 * rng.Next());
            while (!Story.IsWorkday(startDay))
            {
                startDay = startDay.AddDays(1);
            }

            var people = company.InScope(startDay).ToList();
            var leads = people.Where(e => e.On(startDay)!.Level is Level.Manager or Level.Specialist).ToList();
            if (leads.Count == 0 || startDay >= story.End)
            {
                continue;
            }

            var lead = rng.Pick(leads);
            var home = lead.On(startDay)!.Department;
            var sponsor = lead.Manager is { } m && m.On(startDay) is not null ? m : lead;
            var epic = create("PRJ", "Epic", "AI pilot: " + rng.Pick(Ideas), story.WorkTime(startDay, rng), accounts[sponsor.Index], accounts[lead.Index]);
            var cross = rng.Chance(0.45);
            var others = people.Where(e => e != lead && (cross || e.On(startDay)!.Department == home)).ToList();
            var duration = rng.Between(20, 75);
            var endDay = startDay.AddDays(duration);
            var tasks = rng.Between(2, 6);
            for (var i = 0; i < tasks && others.Count > 0; i++)
            {
                var taskDay = startDay.AddDays(rng.Between(0, Math.Min(20, duration - 1)));
                if (taskDay >= story.End)
                {
                    continue;
                }

                var member = rng.Pick(others);
                var assignee = i == 0 && rng.Chance(0.15) ? rng.Pick(contractors) : accounts[member.Index];
                var task = create("PRJ", "Task", "Work package " + (i + 1).ToString(CultureInfo.InvariantCulture), story.WorkTime(taskDay, rng), accounts[lead.Index], assignee);
                task.Parent = epic;
                if (rng.Chance(0.1 + 0.4 * story.Progress(taskDay)))
                {
                    task.Labels.Add(AiLabel);
                }

                var doneAt = later(task.Created!.Value, 2, 20);
                if (doneAt < story.EndInstant.AddMinutes(-1) && story.DayOf(doneAt) < endDay)
                {
                    task.Resolve("Done", "Done", doneAt, later(doneAt, 0, 2));
                }
                else
                {
                    task.Status = "In Progress";
                    task.Category = "indeterminate";
                }
            }

            if (endDay >= story.End)
            {
                epic.Status = "In Progress";
                epic.Category = "indeterminate";
                continue;
            }

            var endAt = story.WorkTime(endDay, rng);
            if (rng.Chance(0.6))
            {
                epic.Resolve("Done", "Done", endAt, later(endAt, 0, 2));
                continue;
            }

            if (rng.Chance(0.6))
            {
                epic.Resolve("Done", "Won't Do", endAt, later(endAt, 0, 2));
            }
            else
            {
                epic.Resolve("Done", "Done", endAt, later(endAt, 0, 2));
                epic.Labels.Add("failed");
            }

            // Failed projects: a timely retrospective, a late one (outside the 30 days), or none at all.
            var fate = rng.Next();
            var retroDay = fate < 0.5 ? endDay.AddDays(rng.Between(1, 20)) : fate < 0.7 ? endDay.AddDays(rng.Between(35, 50)) : (DateOnly?)null;
            if (retroDay is { } r && r < story.End)
            {
                var at = story.WorkTime(r, rng);
                var retro = create("PRJ", "Retrospective", "Retrospective: what we learned", at, accounts[lead.Index], accounts[lead.Index]);
                retro.LinkTo = epic;
                var resolved = story.BeforeEnd(at.AddHours(2));
                retro.Resolve("Done", "Done", resolved, resolved);
            }
        }
    }

    private static List<(Spec Spec, string Reason)> Malformed(Company company, Rng rng, Dictionary<int, JiraAccount> accounts,
        Func<string, string, string, DateTimeOffset, JiraAccount?, JiraAccount?, Spec> create)
    {
        var story = company.Story;
        var someone = accounts[company.Employees.Count / 2];
        var result = new List<(Spec, string)>();

        // Each one is served to the connector, which must report it as a bad item; none is in the events.
        var anonymous = create("AIP", "Idea", "Anonymous idea", story.WorkTime(story.DayAt(0.33), rng), null, null);
        anonymous.Status = "Under Review";
        anonymous.Category = "indeterminate";
        result.Add((anonymous, "proposal.submitted without reporter or assignee identity"));

        var noCreated = create("OPS", "Decision", "Decision migrated without a creation date", story.WorkTime(story.DayAt(0.45), rng), someone, someone);
        noCreated.OverrideCreated = true;
        result.Add((noCreated, "issue without created time"));

        var badDate = create("OPS", "Decision", "Decision with a corrupt date", story.WorkTime(story.DayAt(0.55), rng), someone, someone);
        badDate.OverrideCreated = true;
        badDate.CreatedOverride = JsonValue.Create(badDate.Created!.Value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture));
        result.Add((badDate, "created without an offset (malformed issue)"));

        var lonely = create("PRJ", "Retrospective", "Retrospective of nothing", story.WorkTime(story.DayAt(0.65), rng), someone, someone);
        lonely.Resolve("Done", "Done", lonely.Created!.Value.AddHours(1), lonely.Created!.Value.AddHours(1));
        result.Add((lonely, "retrospective without a parent or linked project"));
        return result;
    }

    private static readonly string[] AdoptedResolutions = ["Done", "Adopted", "Implemented", "Fixed"];

    private static readonly string[] FailedResolutions = ["Won't Do", "Failed", "Cancelled", "Abandoned"];

    /// <summary>The canonical events of one issue under the documented connector rules (see connectors.appsettings.json).</summary>
    private static void Map(Spec s, GroundTruth truth)
    {
        var id = s.Id.ToString(CultureInfo.InvariantCulture);
        var reporter = s.Reporter?.Identity;
        var assignee = s.Assignee?.Identity;
        var done = s.Category == "done";
        var resolvedAt = s.ResolutionDate ?? (done ? s.Updated : null);
        var ai = s.Labels.Contains(AiLabel);
        var created = s.Created!.Value;

        void Emit(string role, EventType type, DateTimeOffset time, string? person, string? subject, bool aiAssisted = false, string? tool = null)
        {
            if (person is not null)
            {
                truth.Add(Source, id + ":" + role, type, time, person, subject, aiAssisted, tool);
            }
        }

        void Members(string project)
        {
            foreach (var person in new[] { reporter, assignee }.OfType<string>().Distinct(StringComparer.Ordinal))
            {
                truth.Add(Source, id + ":member:" + person, EventType.ProjectMember, created, person, project);
            }
        }

        switch (s.Type)
        {
            case "Idea":
                Emit("proposal.submitted", EventType.ProposalSubmitted, created, reporter, s.Key);
                if (done && resolvedAt is { } adoptedAt && AdoptedResolutions.Contains(s.Resolution))
                {
                    Emit("proposal.adopted", EventType.ProposalAdopted, adoptedAt, reporter, s.Key);
                }

                break;
            case "Decision" when resolvedAt is { } decidedAt:
                Emit("decision", EventType.DecisionRecorded, decidedAt, assignee ?? reporter, s.Key, ai);
                break;
            case "Epic":
                Emit("project.started", EventType.ProjectStarted, created, reporter, s.Key);
                if (done && resolvedAt is { } endedAt)
                {
                    var failed = FailedResolutions.Contains(s.Resolution) || s.Labels.Contains("failed");
                    Emit(failed ? "project.failed" : "project.completed", failed ? EventType.ProjectFailed : EventType.ProjectCompleted, endedAt, assignee ?? reporter, s.Key);
                }

                Members(s.Key);
                break;
            case "Retrospective" when (s.Parent ?? s.LinkTo) is { } project:
                Emit("retrospective", EventType.ProjectRetrospective, resolvedAt ?? created, reporter, project.Key);
                break;
            default:
                break;
        }

        if (s.Type != "Epic" && s.Parent is { Type: "Epic" } parent)
        {
            Members(parent.Key);
        }

        if (ai)
        {
            Emit("ai.used", EventType.AiUsed, resolvedAt ?? created, assignee ?? reporter, null, tool: "jira");
        }
    }

    public static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture) + "+0000";

    private static JsonNode? Account(JiraAccount? a)
    {
        if (a is null)
        {
            return null;
        }

        var o = new JsonObject { ["accountId"] = a.AccountId };
        if (a.Email is not null)
        {
            o["emailAddress"] = a.Email;
        }

        o["displayName"] = a.DisplayName;
        o["active"] = a.Active;
        o["timeZone"] = "Europe/Berlin";
        o["accountType"] = "atlassian";
        return o;
    }

    private static JsonObject IssueType(string type) => new()
    {
        ["id"] = type switch { "Epic" => "10000", "Task" => "10001", "Bug" => "10002", "Idea" => "10005", "Decision" => "10006", _ => "10007" },
        ["name"] = type,
        ["subtask"] = false,
        ["hierarchyLevel"] = type == "Epic" ? 1 : 0,
    };

    private static JiraIssue Issue(Spec s)
    {
        var fields = new JsonObject
        {
            ["summary"] = s.Summary,
            ["issuetype"] = IssueType(s.Type),
            ["project"] = new JsonObject { ["key"] = s.Project, ["name"] = s.Project switch { "AIP" => "AI Proposals", "OPS" => "Operations Desk", "PRJ" => "AI Projects", _ => "Sandbox" } },
            ["labels"] = new JsonArray([.. s.Labels.Select(l => (JsonNode)JsonValue.Create(l))]),
            ["components"] = new JsonArray(),
            ["reporter"] = Account(s.Reporter),
            ["assignee"] = Account(s.Assignee),
            ["created"] = s.OverrideCreated ? s.CreatedOverride?.DeepClone() : Time(s.Created!.Value),
            ["updated"] = Time(s.Updated),
            ["resolution"] = s.Resolution is null ? null : new JsonObject { ["id"] = s.Resolution == "Won't Do" ? "10001" : "10000", ["name"] = s.Resolution },
            ["resolutiondate"] = s.ResolutionDate is { } r ? Time(r) : null,
            ["status"] = new JsonObject
            {
                ["name"] = s.Status,
                ["statusCategory"] = new JsonObject
                {
                    ["id"] = s.Category switch { "new" => 2, "indeterminate" => 4, _ => 3 },
                    ["key"] = s.Category,
                    ["name"] = s.Category switch { "new" => "To Do", "indeterminate" => "In Progress", _ => "Done" },
                },
            },
            ["issuelinks"] = s.LinkTo is { } link
                ? new JsonArray(new JsonObject
                {
                    ["id"] = (s.Id + 50000).ToString(CultureInfo.InvariantCulture),
                    ["type"] = new JsonObject { ["name"] = "Relates", ["inward"] = "relates to", ["outward"] = "relates to" },
                    ["outwardIssue"] = new JsonObject { ["id"] = link.Id.ToString(CultureInfo.InvariantCulture), ["key"] = link.Key },
                })
                : new JsonArray(),
        };
        if (s.Parent is { } parent)
        {
            fields["parent"] = new JsonObject
            {
                ["id"] = parent.Id.ToString(CultureInfo.InvariantCulture),
                ["key"] = parent.Key,
                ["fields"] = new JsonObject { ["summary"] = parent.Summary, ["issuetype"] = IssueType(parent.Type) },
            };
        }

        return new JiraIssue(s.Id, s.Key, s.Project, s.Type, s.OverrideCreated ? null : s.Created, s.Updated, [.. s.Labels], s.Status, s.Category, s.Resolution, fields);
    }

    private static int Poisson(Rng rng, double mean)
    {
        var limit = Math.Exp(-mean);
        var k = 0;
        var p = rng.Next();
        while (p > limit)
        {
            k++;
            p *= rng.Next();
        }

        return k;
    }

    private static readonly string[] Ideas =
    [
        "draft replies to routine customer e-mails", "summarise shift handovers", "check invoices against orders", "predict stock-outs",
        "classify incoming tickets", "write first drafts of job ads", "translate product manuals", "screen contracts for risky clauses",
        "plan delivery routes", "answer internal IT questions", "summarise sales calls", "suggest maintenance windows",
    ];

    private static readonly string[] Topics =
    [
        "supplier selection", "pricing of the spring range", "the new shift model", "tool licences", "the warehouse layout",
        "the support rota", "cloud budget", "the hiring plan", "the returns policy", "campaign budget split",
    ];
}
