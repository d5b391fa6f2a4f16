using System.Globalization;
using Metrics.Core.Events;

namespace Metrics.Simulator.Generation;

public sealed record N8nUser(string Id, string Email, string FirstName, string LastName, string Role, DateTimeOffset CreatedAt);

public sealed record N8nMember(N8nUser User, string Role);

public sealed record N8nProject(string Id, string Name, string Type, IReadOnlyList<N8nMember> Members, DateTimeOffset CreatedAt);

public sealed record N8nNode(string Id, string Name, string Type, bool Disabled);

public sealed record N8nWorkflow(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, N8nProject Project, IReadOnlyList<N8nNode> Nodes, bool Active, string VersionId);

/// <summary>An execution; <see cref="StartedAt"/> is null for the deliberately malformed one.</summary>
public sealed record N8nExecution(long Id, string WorkflowId, DateTimeOffset? StartedAt, DateTimeOffset? StoppedAt, string Mode, string Status, string VersionId);

/// <summary>The n8n instance: users, projects, workflows (by id) and executions newest first.</summary>
public sealed class N8nData
{
    public required IReadOnlyList<N8nUser> Users { get; init; }

    public required IReadOnlyList<N8nProject> Projects { get; init; }

    public required IReadOnlyList<N8nWorkflow> Workflows { get; init; }

    /// <summary>Newest first (id descending), as the API lists them.</summary>
    public required IReadOnlyList<N8nExecution> Executions { get; init; }
}

/// <summary>
/// Generates the n8n instance. Adopters get a personal project with an AI workflow they run on many workdays; keen
/// departments share team projects; a sandbox with two admins has no single owner; an outside consultant builds too.
/// </summary>
public static class N8nGenerator
{
    public const string Source = "lowcode";
    public const string LangChain = "@n8n/n8n-nodes-langchain.";

    private static readonly string[] AiNodes =
    [
        LangChain + "agent", LangChain + "lmChatOpenAi", LangChain + "chainLlm", LangChain + "chainSummarization", "n8n-nodes-base.openAi",
    ];

    private static readonly string[] Purposes =
    [
        "Summarise support tickets", "Draft customer replies", "Classify incoming invoices", "Extract order data from e-mails",
        "Weekly sales digest", "Translate product notes", "Triage IT requests", "Screen supplier offers", "Answer HR policy questions",
        "Tag marketing leads", "Check contract clauses", "Shift report assistant",
    ];

    private sealed record Pending(N8nWorkflow Workflow, DateTimeOffset? StartedAt, DateTimeOffset? StoppedAt, string Mode, string Status);

    public static N8nData Generate(Company company, DateOnly?[] adoption, GroundTruth truth, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(adoption);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(options);
        var story = company.Story;
        var rng = new Rng(options.Seed, "n8n");
        var users = new List<N8nUser>();
        var projects = new List<N8nProject>();
        var workflows = new List<N8nWorkflow>();
        var runs = new List<Pending>();
        var startInstant = story.At(story.First, new TimeOnly(7, 0));

        var owner = new N8nUser(rng.Uuid(), "n8n-admin@" + options.Domain, "Instance", "Owner", "global:owner", startInstant);
        users.Add(owner);

        N8nUser User(string email, string first, string last, DateTimeOffset created)
        {
            var u = new N8nUser(rng.Uuid(), email, first, last, "global:member", created);
            users.Add(u);
            return u;
        }

        N8nProject Personal(N8nUser u)
        {
            var p = new N8nProject(rng.Token(16), $"{u.FirstName} {u.LastName} <{u.Email}>", "personal", [new N8nMember(u, "project:personalOwner")], u.CreatedAt);
            projects.Add(p);
            return p;
        }

        N8nWorkflow Workflow(N8nProject project, DateTimeOffset created, bool ai, bool onlyDisabledAi = false)
        {
            var trigger = rng.Pick(new[] { "n8n-nodes-base.scheduleTrigger", "n8n-nodes-base.webhook", "n8n-nodes-base.manualTrigger" });
            var nodes = new List<N8nNode> { new(rng.Uuid(), "Trigger", trigger, false) };
            if (ai || onlyDisabledAi)
            {
                if (onlyDisabledAi || rng.Chance(0.15))
                {
                    // A switched-off AI node does not make an AI workflow; the next enabled one does.
                    nodes.Add(new N8nNode(rng.Uuid(), "Old model", LangChain + "lmChatAnthropic", true));
                }

                if (ai)
                {
                    nodes.Add(new N8nNode(rng.Uuid(), "AI step", rng.Pick(AiNodes), false));
                }
            }

            nodes.Add(new N8nNode(rng.Uuid(), "Set fields", "n8n-nodes-base.set", false));
            nodes.Add(new N8nNode(rng.Uuid(), "Send", rng.Pick(new[] { "n8n-nodes-base.slack", "n8n-nodes-base.emailSend", "n8n-nodes-base.httpRequest" }), false));
            var updated = story.BeforeEnd(created.AddDays(rng.Between(0, 60)).AddMinutes(rng.Between(5, 300)));
            var w = new N8nWorkflow(rng.Token(16), rng.Pick(Purposes), created, updated, project, nodes, trigger != "n8n-nodes-base.manualTrigger", rng.Uuid());
            workflows.Add(w);
            return w;
        }

        void Runs(N8nWorkflow w, double chance, Func<DateOnly, bool> present)
        {
            var mode = w.Nodes[0].Type switch
            {
                "n8n-nodes-base.scheduleTrigger" => "trigger",
                "n8n-nodes-base.webhook" => "webhook",
                _ => "manual",
            };
            var test = w.CreatedAt.AddMinutes(rng.Between(1, 30)).AddMilliseconds(rng.Between(0, 999));
            runs.Add(new Pending(w, test, test.AddSeconds(rng.Between(2, 40)), "manual", "success"));
            for (var d = story.DayOf(w.CreatedAt).AddDays(1); d < story.End; d = d.AddDays(1))
            {
                if (Story.IsWorkday(d) && present(d) && rng.Chance(chance))
                {
                    var started = story.WorkTime(d, rng).AddMilliseconds(rng.Between(0, 999));
                    runs.Add(new Pending(w, started, started.AddSeconds(rng.Between(2, 120)), mode, rng.Chance(0.94) ? "success" : "error"));
                }
            }
        }

        var adopters = company.Employees.Where(e => adoption[e.Index] is not null).OrderBy(e => adoption[e.Index]).ThenBy(e => e.Index).ToList();
        var n8nUserOf = new Dictionary<int, N8nUser>();
        foreach (var e in company.Employees)
        {
            var builds = adoption[e.Index] is not null;
            if (!builds && !rng.Chance(0.12))
            {
                continue;
            }

            var first = adoption[e.Index] ?? story.DayAt(Math.Max(0.0, 0.9 * rng.Next()));
            if (first < e.Start)
            {
                first = e.Start;
            }

            var joined = story.WorkTime(first, rng).AddHours(-1);
            // Some people typed their address with capitals; the API returns it as stored.
            var email = rng.Chance(0.25) ? e.FirstName + "." + e.Email[(e.FirstName.Length + 1)..] : e.Email;
            var u = User(email, e.FirstName, e.LastName, joined);
            n8nUserOf[e.Index] = u;
            var personal = Personal(u);
            var w = Workflow(personal, story.WorkTime(first, rng), ai: builds);
            Runs(w, builds ? 0.35 + 0.5 * rng.Next() : 0.3, d => e.On(d) is not null);
        }

        // Team projects in departments with adopters: one admin owns the shared AI workflow.
        foreach (var department in company.Departments)
        {
            var keen = adopters.Where(e => e.Last.Department == department && n8nUserOf.ContainsKey(e.Index)).Take(3).ToList();
            if (keen.Count < 2)
            {
                continue;
            }

            var admin = keen[0];
            var members = new List<N8nMember> { new(n8nUserOf[admin.Index], "project:admin") };
            members.AddRange(keen.Skip(1).Select(k => new N8nMember(n8nUserOf[k.Index], "project:editor")));
            var created = adoption[admin.Index]!.Value.AddDays(rng.Between(10, 30));
            if (created >= story.End || admin.On(created) is null)
            {
                continue;
            }

            var team = new N8nProject(rng.Token(16), department.Name + " Automations", "team", members, story.WorkTime(created, rng));
            projects.Add(team);
            Runs(Workflow(team, story.WorkTime(created, rng).AddMinutes(30), ai: true), 0.5, d => admin.On(d) is not null);
        }

        // Not AI: its only AI node is switched off.
        var tinkerer = n8nUserOf.Values.Skip(1).FirstOrDefault() ?? owner;
        var disabledOnly = Workflow(projects.First(p => p.Members[0].User == tinkerer), story.WorkTime(story.DayAt(0.5), rng), ai: false, onlyDisabledAi: true);
        Runs(disabledOnly, 0.2, _ => true);

        // A sandbox with two admins has no single owner: the connector cannot name a person for its runs.
        var sandboxAdmins = n8nUserOf.Values.Take(2).ToList();
        var sandbox = new N8nProject(rng.Token(16), "Shared Sandbox", "team",
            [.. sandboxAdmins.Select(u => new N8nMember(u, "project:admin"))], story.At(story.DayAt(0.3), new TimeOnly(9, 0)));
        projects.Add(sandbox);
        var orphan = Workflow(sandbox, story.WorkTime(story.DayAt(0.6), rng), ai: true);
        Runs(orphan, 0.15, _ => true);

        // An outside consultant builds and runs AI workflows: mapped to an address no directory holds.
        var consultant = User("consultant@partner.example", "External", "Consultant", story.At(story.DayAt(0.35), new TimeOnly(9, 0)));
        var consultantFlow = Workflow(Personal(consultant), story.WorkTime(story.DayAt(0.35), rng), ai: true);
        Runs(consultantFlow, 0.4, _ => true);
        truth.Expect(Source, "consultant@partner.example", DifferenceKind.Unresolved, "external consultant's n8n account; not in the directory");

        // A queued execution without a start time: the connector must reject it.
        var anyAi = workflows.First(w => AiNode(w) is not null);
        runs.Add(new Pending(anyAi, null, null, "trigger", "new"));

        var ordered = runs.Select((r, i) => (r, i)).OrderBy(x => (x.r.StartedAt ?? story.EndInstant.AddMinutes(-2)).UtcTicks).ThenBy(x => x.i).Select(x => x.r).ToList();
        var executions = ordered.Select((r, i) => new N8nExecution(1000 + i, r.Workflow.Id, r.StartedAt, r.StoppedAt, r.Mode, r.Status, r.Workflow.VersionId)).ToList();
        var byId = workflows.ToDictionary(w => w.Id, StringComparer.Ordinal);

        foreach (var w in workflows)
        {
            if (AiNode(w) is not { } tool)
            {
                continue;
            }

            var person = Owner(w.Project);
            var built = w.UpdatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            if (person is null)
            {
                truth.Expect(Source, $"wf-{w.Id}-created", DifferenceKind.Rejected, "owning project has no single owner with an e-mail");
                truth.Expect(Source, $"wf-{w.Id}-built-{built}", DifferenceKind.Rejected, "owning project has no single owner with an e-mail");
                continue;
            }

            truth.Add(Source, $"wf-{w.Id}-created", EventType.PrototypeCreated, w.CreatedAt, person, w.Id);
            truth.Add(Source, $"wf-{w.Id}-built-{built}", EventType.AiUsed, w.UpdatedAt, person, null, tool: tool);
        }

        foreach (var x in executions)
        {
            var id = "exec-" + x.Id.ToString(CultureInfo.InvariantCulture);
            var w = byId[x.WorkflowId];
            if (x.StartedAt is not { } started)
            {
                truth.Expect(Source, x.Id.ToString(CultureInfo.InvariantCulture), DifferenceKind.Ignored, "queued execution (startedAt null): read by a later pull once it runs");
                continue;
            }

            if (AiNode(w) is not { } tool)
            {
                continue;
            }

            if (Owner(w.Project) is { } person)
            {
                truth.Add(Source, id, EventType.AiUsed, started, person, null, tool: tool);
            }
            else
            {
                truth.Expect(Source, id, DifferenceKind.Rejected, "owning project has no single owner with an e-mail");
            }
        }

        executions.Reverse();
        return new N8nData { Users = users, Projects = projects, Workflows = workflows, Executions = executions };
    }

    /// <summary>The first enabled AI node type, or null when the workflow is not an AI workflow.</summary>
    public static string? AiNode(N8nWorkflow workflow) =>
        workflow?.Nodes.FirstOrDefault(n => !n.Disabled && (n.Type.StartsWith(LangChain, StringComparison.Ordinal) || n.Type == "n8n-nodes-base.openAi"))?.Type;

    /// <summary>The person behind a project: the personal owner, else the single admin.</summary>
    public static string? Owner(N8nProject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var personal = project.Members.FirstOrDefault(m => m.Role == "project:personalOwner");
        if (personal is not null)
        {
            return personal.User.Email;
        }

        var admins = project.Members.Where(m => m.Role == "project:admin").ToList();
        return admins.Count == 1 ? admins[0].User.Email : null;
    }
}
