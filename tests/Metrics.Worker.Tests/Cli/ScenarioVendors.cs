using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Metrics.Simulator;
using Metrics.Simulator.Generation;
using Metrics.Testing.Vendors;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Metrics.Worker.Tests.Cli;

/// <summary>
/// A hand-made scenario for end-to-end tests: records built from the recorded vendor pages (<see cref="XapiPages"/>,
/// <see cref="JiraPages"/>, <see cref="GraphPages"/>) and the simulator's n8n model, served by the simulator's vendor
/// endpoints on the one loopback <see cref="VendorHost"/>. The simulator filters and pages (xAPI since/until and
/// <c>more</c>, JQL, n8n cursors, Graph delta links) as the vendors do; the test writes neither a wire format nor
/// paging rules.
/// </summary>
public sealed class ScenarioVendors
{
    /// <summary>The credentials the simulated vendors accept.</summary>
    public static SimulatorCredentials Credentials { get; } = new();

    public List<JsonObject> GraphUsers { get; } = [];

    /// <summary>xAPI statements (copies of recorded ones); the LRS orders and filters them by <c>stored</c>.</summary>
    public List<JsonObject> Statements { get; } = [];

    public List<N8nProject> Projects { get; } = [];

    public List<N8nWorkflow> Workflows { get; } = [];

    public List<N8nExecution> Executions { get; } = [];

    public List<JiraIssue> Issues { get; } = [];

    /// <summary>UTC with milliseconds and <c>Z</c>, as xAPI's <c>stored</c> and n8n write times.</summary>
    public static string Utc(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Local time with an ISO offset, as an LMS writes an xAPI <c>timestamp</c> (<c>+01:00</c>).</summary>
    public static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>Jira's time format: milliseconds and an offset without a colon (<c>+0100</c>).</summary>
    public static string Jira(DateTimeOffset t) =>
        t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture)
        + (t.Offset < TimeSpan.Zero ? "-" : "+") + t.Offset.ToString("hhmm", CultureInfo.InvariantCulture);

    /// <summary>An n8n project and its members (users of the instance).</summary>
    public static N8nProject Project(string id, string name, string type, params (string Id, string Email, string First, string Last, string Role)[] members) =>
        new(id, name, type, [.. members.Select(m => new N8nMember(new N8nUser(m.Id, m.Email, m.First, m.Last, "global:member", new DateTimeOffset(2025, 2, 3, 8, 12, 44, TimeSpan.Zero)), m.Role))],
            new DateTimeOffset(2025, 2, 3, 8, 12, 44, TimeSpan.Zero));

    /// <summary>A workflow whose nodes are of these types.</summary>
    public static N8nWorkflow Workflow(string id, string name, DateTimeOffset created, DateTimeOffset updated, N8nProject project, params string[] nodeTypes) =>
        new(id, name, created, updated, project,
            [.. nodeTypes.Select((t, i) => new N8nNode(N8nPages.Node(i, t)["id"]!.GetValue<string>(), N8nPages.Node(i, t)["name"]!.GetValue<string>(), t, false))],
            true, Guid.NewGuid().ToString());

    public static N8nExecution Execution(long id, string workflowId, DateTimeOffset startedAt, string status = "success", string mode = "trigger") =>
        new(id, workflowId, startedAt, startedAt.AddSeconds(7), mode, status, "v1");

    /// <summary>A Jira issue: the recorded one with these values, and what JQL filters it on.</summary>
    public static JiraIssue Issue(
        long id,
        string key,
        string type,
        DateTimeOffset created,
        DateTimeOffset updated,
        JsonObject reporter,
        JsonObject? assignee = null,
        string[]? labels = null,
        string? resolution = null,
        DateTimeOffset? resolved = null,
        JsonObject? parent = null)
    {
        var category = resolved is null ? "indeterminate" : "done";
        var json = JiraPages.Issue(id.ToString(CultureInfo.InvariantCulture), key, type, Jira(created), Jira(updated), labels, reporter, assignee,
            resolution, resolved is { } r ? Jira(r) : null, category, parent);
        var fields = json["fields"]!.AsObject();
        return new JiraIssue(id, key, key[..key.IndexOf('-', StringComparison.Ordinal)], type, created, updated, labels ?? [],
            fields["status"]!["name"]!.GetValue<string>(), category, resolution, fields);
    }

    /// <summary>Starts the simulator's vendors over this scenario on a loopback <see cref="VendorHost"/>.</summary>
    public Task<VendorHost> StartAsync(DateOnly end)
    {
        var options = new SimulatorOptions { EndDate = end, Credentials = Credentials };
        var simulation = Simulation(options);
        return VendorHost.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(Metrics.Simulator.Hosting.SimulatorHost.Settings(options));
                builder.Services.AddSingleton(simulation);
                builder.Services.AddSimulator(builder.Configuration);
            },
            app => app.MapSimulator());
    }

    private Simulation Simulation(SimulatorOptions options)
    {
        var (first, end) = options.Range(TimeProvider.System);
        var none = new Department("-", false, 0, "-", "-");
        var story = new Story(first, end, TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone), options.Seed);
        var statements = Statements
            .Select(s => new XapiRecord(
                s["id"]!.GetValue<string>(),
                DateTimeOffset.Parse(s["stored"]!.GetValue<string>(), CultureInfo.InvariantCulture),
                s["verb"]!["id"]!.GetValue<string>(),
                Voided: false,
                Encoding.UTF8.GetBytes(s.ToJsonString())))
            .OrderBy(s => s.Stored).ThenBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
        return new Simulation
        {
            Options = options,
            Company = new Company { Departments = [], Employees = [], Story = story, ReorgDepartment = none, SmallDepartment = none, ReorgDay = first },
            Truth = new GroundTruth(),
            Lrs = new XapiData { Statements = statements, Origin = "https://lms.example.com", CoursePrefix = "https://lms.example.com/courses/" },
            N8n = new N8nData
            {
                Users = [.. Projects.SelectMany(p => p.Members).Select(m => m.User).DistinctBy(u => u.Id)],
                Projects = Projects,
                Workflows = Workflows,
                Executions = [.. Executions.OrderByDescending(e => e.Id)],
            },
            Jira = new JiraData { Issues = [.. Issues.OrderBy(i => i.Id)], Projects = [.. Issues.Select(i => i.Project).Distinct()] },
            Graph = new GraphData { Users = GraphUsers },
            Copilot = new CopilotData { ReportRefreshDate = end.AddDays(-1), UsageRows = [], Seats = [] },
        };
    }
}
