using System.Text.Json.Nodes;
using Metrics.Simulator.Generation;
using Metrics.Testing;
using Metrics.Testing.Vendors;
using static Metrics.Worker.Tests.Cli.ScenarioVendors;

namespace Metrics.Worker.Tests.Cli;

/// <summary>
/// All four vendor APIs (Microsoft Graph, an xAPI LRS, n8n, Jira Cloud) served on loopback by the simulator's vendor
/// endpoints over a hand-made scenario (records copied from the recorded vendor pages, see <see cref="ScenarioVendors"/>),
/// one <c>sync --once</c> of the real CLI into a real InfluxDB, and the KPIs read back and compared with values worked
/// out by hand from docs/kpis.md. The CLI runs on the real clock, so every vendor time is placed relative to today in
/// Europe/Berlin: the check day D is two days ago, and every event lies between D-15 and D+1.
/// </summary>
public sealed class SyncEndToEndTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    // Person keys (the Graph mail, lowercased) and departments:
    //   Operations:  olga (Head of Operations, has reports -> manager), pablo (Machine Operator -> frontline),
    //                quinn (Field Service Technician -> frontline)
    //   Engineering: rita (Chief Technology Officer -> executive), sam (Software Engineer -> specialist),
    //                tara (Data Scientist -> specialist)
    //   Not in scope: uwe (account disabled), the scanner service account (no department: a bad item).
    private const string Olga = "olga.berg@example.com";
    private const string Pablo = "pablo.diaz@example.com";
    private const string Quinn = "quinn.lee@example.com";
    private const string Rita = "rita.chen@example.com";
    private const string Sam = "sam.okafor@example.com";
    private const string Tara = "tara.novak@example.com";
    private const string Ops = "Operations";
    private const string Eng = "Engineering";

    private const string ScannerGraphId = "0c9e2a7f-55d1-4b0e-8f3a-6d2b9e1c4a70";
    private const string SamJiraAccount = "712020:4c1f6a0e-5b7d-4d0e-9b8a-3f2e1d0c9b8a";
    private const string Courses = "https://lms.example.com/courses/";
    private const string CourseType = "http://adlnet.gov/expapi/activities/course";

    [Fact]
    public async Task SyncOnce_FourVendorsOnLoopback_KpisEqualHandComputedValues()
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), Berlin).DateTime);
        var d = today.AddDays(-2);
        await using var vendors = await Scenario(d).StartAsync(today);
        var mapDirectory = Path.Combine(Path.GetTempPath(), "metrics-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(mapDirectory);
        try
        {
            // The mapping CSV links the identities the directory cannot know: quinn's Moodle account and sam's Jira
            // account, whose profile hides the e-mail.
            var identityMap = Path.Combine(mapDirectory, "identities.csv");
            await File.WriteAllTextAsync(identityMap, $"identity,person\naccount:https://lms.example.com|qlee,{Quinn}\njira:{SamJiraAccount},{Sam}\n");
            using var cli = new CliRunner(influx.Url, influx.NewDatabase(), extra: Settings(vendors.Base, identityMap));

            var sync = await cli.RunAsync("sync", "--once");

            // Exit 2: the scanner service account has no department, which is reported, not fatal.
            Assert.True(sync.ExitCode == 2, $"exit {sync.ExitCode}\n{sync.Output}\n{sync.Error}");
            var lines = sync.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            // Directory: 8 Graph users; the disabled account is gone, the scanner is a bad item,
            // 6 people are written (6 new records, reported as replaced directory rows).
            AssertLine(lines, "directory: ok, 1 pages (0 failed), 6 items, 6 events (0 new, 6 replaced, 0 unchanged), 1 bad items, 0 unresolved");
            Assert.Contains($"directory: bad item {ScannerGraphId}: no department", sync.Error, StringComparison.Ordinal);
            // LMS: 11 statements on 3 pages of 4 (two `more` links); the `experienced` statement is ignored, the other
            // 10 become events (8 completions, 1 enrolment, 1 retraction); the voiding statement's actor is the LMS
            // administrator, who is in no directory: 1 unresolved.
            AssertLine(lines, "lms: ok, 3 pages (0 failed), 11 items, 10 events (10 new, 0 replaced, 0 unchanged), 0 bad items, 1 unresolved");
            // n8n: 1 page for the 3 workflows (read in 2 API pages of 2) + 3 execution pages of 2, newest first; the scan
            // stops at the execution older than the lookback. Events: 1 prototype, 1 build, 4 AI executions.
            AssertLine(lines, "lowcode: ok, 4 pages (0 failed), 9 items, 6 events (6 new, 0 replaced, 0 unchanged), 0 bad items, 0 unresolved");
            // Jira: 9 issues on 3 pages of 4; 13 events (see Scenario); DEC-9 (unresolved decision) matches no rule.
            AssertLine(lines, "ticketing: ok, 3 pages (0 failed), 9 items, 13 events (13 new, 0 replaced, 0 unchanged), 0 bad items, 0 unresolved");
            Assert.Contains(lines, l => l.StartsWith("recomputed ", StringComparison.Ordinal) && l.Contains($"..{today:yyyy-MM-dd}:", StringComparison.Ordinal));
            Assert.DoesNotContain("FAILED", sync.Output, StringComparison.Ordinal);

            // The connectors asked the vendors the way the APIs require.
            Assert.Single(vendors.RequestsTo("/oauth2/v2.0/token"));
            // One delta page: the simulated Graph pages by 100 users (the Graph tests of Metrics.Sources.Tests follow nextLink).
            Assert.Single(vendors.RequestsTo("/v1.0/users/delta"));
            Assert.Equal(2, vendors.RequestsTo("/lrs/xapi/statements").Count(r => r.Query("more") is not null));
            Assert.Equal(3, vendors.RequestsTo("/n8n/api/v1/executions").Count);
            Assert.Equal(2, vendors.Requests.Count(r => r.Path.StartsWith("/n8n/api/v1/projects/", StringComparison.Ordinal)));
            Assert.Equal(3, vendors.RequestsTo("/rest/api/3/search/jql").Count);

            var points = await cli.ExportAsync(d.AddDays(-4), d);
            var kpis = points.Where(p => p.Tool is null).ToDictionary(p => (p.Date, p.Department, p.Kpi, p.Window), p => p.Value);
            var failures = new List<string>();
            void Expect(DateOnly day, string? department, string kpi, string window, double expected)
            {
                if (!kpis.TryGetValue((day, department, kpi, window), out var actual))
                {
                    failures.Add($"{day:yyyy-MM-dd} {department ?? "(org)"} {kpi} {window}: expected {expected}, absent");
                }
                else if (Math.Abs(actual - expected) > 1e-9)
                {
                    failures.Add($"{day:yyyy-MM-dd} {department ?? "(org)"} {kpi} {window}: expected {expected}, got {actual}");
                }
            }

            void Absent(DateOnly day, string? department, string kpi, string window)
            {
                if (kpis.TryGetValue((day, department, kpi, window), out var actual))
                {
                    failures.Add($"{day:yyyy-MM-dd} {department ?? "(org)"} {kpi} {window}: expected no point, got {actual}");
                }
            }

            // Groups: MinimumGroupSize 2, both departments have 3 people, so both are written under their own name and
            // there is no "(small groups)".
            Assert.DoesNotContain(points, p => p.Department == "(small groups)");
            Assert.Equal([Eng, Ops], points.Where(p => p.Department is not null).Select(p => p.Department!).Distinct().Order(StringComparer.Ordinal));

            // headcount: the first Graph snapshot is back-dated over InitialLookback, so everyone is in scope on D.
            // org 6 (uwe disabled, scanner rejected), Operations 3, Engineering 3.
            Expect(d, null, "headcount", "day", 6);
            Expect(d, Ops, "headcount", "day", 3);
            Expect(d, Eng, "headcount", "day", 3);

            // active_ai_users: latest ai.used on or before D, per person:
            //   olga  D 15:00 (Jira DEC-7, ai-assisted, assignee)          -> 1d 7d 28d
            //   pablo D-1 16:00 (n8n execution 5002; D-3 build; D+1 run does not count on D) -> 7d 28d
            //   quinn D-15 (Jira OPS-55, ai-assisted, assignee)             -> 28d
            //   sam   D 09:30 (n8n execution 5004 of the team project's workflow; D-5 failed run) -> 1d 7d 28d
            //   rita, tara: none.
            // org 2 / 3 / 4 of 6; Operations 1 / 2 / 3 of 3; Engineering 1 / 1 / 1 of 3.
            Expect(d, null, "active_ai_users", "1d", 2);
            Expect(d, null, "active_ai_users", "7d", 3);
            Expect(d, null, "active_ai_users", "28d", 4);
            Expect(d, null, "ai_usage_rate", "1d", 2.0 / 6);
            Expect(d, null, "ai_usage_rate", "7d", 3.0 / 6);
            Expect(d, null, "ai_usage_rate", "28d", 4.0 / 6);
            Expect(d, Ops, "active_ai_users", "1d", 1);
            Expect(d, Ops, "active_ai_users", "7d", 2);
            Expect(d, Ops, "active_ai_users", "28d", 3);
            Expect(d, Ops, "ai_usage_rate", "1d", 1.0 / 3);
            Expect(d, Ops, "ai_usage_rate", "7d", 2.0 / 3);
            Expect(d, Ops, "ai_usage_rate", "28d", 1.0);
            Expect(d, Eng, "active_ai_users", "1d", 1);
            Expect(d, Eng, "active_ai_users", "7d", 1);
            Expect(d, Eng, "ai_usage_rate", "28d", 1.0 / 3);

            // proposals (Jira Idea, reporter, day of `created` in Berlin):
            //   IDEA-101 pablo (frontline) created D-1 23:30 +0000 = D 00:30/01:30 Berlin -> day D
            //   IDEA-102 sam (specialist) D-4;  IDEA-103 quinn (frontline) D-12.
            // org: proposals 1 / 2 / 3, bottom-up 1 / 1 / 2, share 1 / 0.5 / 2/3.
            Expect(d, null, "proposals", "1d", 1);
            Expect(d, null, "proposals", "7d", 2);
            Expect(d, null, "proposals", "28d", 3);
            Expect(d, null, "bottom_up_proposals", "1d", 1);
            Expect(d, null, "bottom_up_proposals", "7d", 1);
            Expect(d, null, "bottom_up_proposals", "28d", 2);
            Expect(d, null, "bottom_up_share", "1d", 1.0);
            Expect(d, null, "bottom_up_share", "7d", 0.5);
            Expect(d, null, "bottom_up_share", "28d", 2.0 / 3);
            // Operations: 1 / 1 / 2 proposals, all bottom-up. Engineering: 0 / 1 / 1, none bottom-up; no 1d share (0/0).
            Expect(d, Ops, "proposals", "28d", 2);
            Expect(d, Ops, "bottom_up_proposals", "1d", 1);
            Expect(d, Ops, "bottom_up_share", "28d", 1.0);
            Expect(d, Eng, "proposals", "1d", 0);
            Expect(d, Eng, "proposals", "7d", 1);
            Expect(d, Eng, "bottom_up_proposals", "7d", 0);
            Expect(d, Eng, "bottom_up_share", "7d", 0);
            Absent(d, Eng, "bottom_up_share", "1d");
            // proposer_rate 28d: pablo, sam, quinn -> org 3/6; Operations 2/3; Engineering 1/3.
            Expect(d, null, "proposer_rate", "28d", 0.5);
            Expect(d, Ops, "proposer_rate", "28d", 2.0 / 3);
            Expect(d, Eng, "proposer_rate", "28d", 1.0 / 3);

            // decisions (Jira Decision, resolved, assignee, day of resolutiondate):
            //   DEC-7 olga D, label ai-assisted; DEC-8 rita D-2, no label; DEC-9 unresolved -> no event.
            // org: decisions 1 / 2 / 2, ai 1 / 1 / 1, coverage 1 / 0.5 / 0.5.
            Expect(d, null, "decisions", "1d", 1);
            Expect(d, null, "decisions", "7d", 2);
            Expect(d, null, "decisions", "28d", 2);
            Expect(d, null, "ai_decisions", "1d", 1);
            Expect(d, null, "ai_decisions", "7d", 1);
            Expect(d, null, "ai_decision_coverage", "1d", 1.0);
            Expect(d, null, "ai_decision_coverage", "7d", 0.5);
            Expect(d, null, "ai_decision_coverage", "28d", 0.5);
            // Operations: the AI-assisted decision only (coverage 1). Engineering: DEC-8 in 7d (coverage 0), none in 1d.
            Expect(d, Ops, "decisions", "7d", 1);
            Expect(d, Ops, "ai_decision_coverage", "7d", 1.0);
            Expect(d, Eng, "decisions", "1d", 0);
            Expect(d, Eng, "decisions", "7d", 1);
            Expect(d, Eng, "ai_decisions", "7d", 0);
            Expect(d, Eng, "ai_decision_coverage", "7d", 0);
            Absent(d, Eng, "ai_decision_coverage", "1d");

            // prototypes: the n8n AI workflow "Invoice triage agent" created D-3 in pablo's personal project (frontline,
            // Operations). The summariser (created D-40, before the lookback) and the roster sync (no AI node) are not.
            Expect(d, null, "prototypes", "1d", 0);
            Expect(d, null, "prototypes", "7d", 1);
            Expect(d, null, "frontline_prototypes", "7d", 1);
            Expect(d, Ops, "prototypes", "7d", 1);
            Expect(d, Eng, "prototypes", "28d", 0);

            // training_completions (xAPI completed/passed on a course, timestamp day):
            //   olga excel-advanced D-10 (not in the catalog, still counted), quinn ai-basics D-5 (Moodle account),
            //   pablo ai-basics D-4, quinn ai-for-operators D-4, pablo ai-for-operators D-3, rita ai-basics D (cmi5 AU
            //   grouped under the course), tara ai-basics D-2 VOIDED (not counted), sam ai-basics D+1 (after D).
            // org 1 / 5 / 6; Operations 0 / 4 / 5; Engineering 1 / 1 / 1 (2 in 7d if the voided one counted).
            Expect(d, null, "training_completions", "1d", 1);
            Expect(d, null, "training_completions", "7d", 5);
            Expect(d, null, "training_completions", "28d", 6);
            Expect(d, Ops, "training_completions", "1d", 0);
            Expect(d, Ops, "training_completions", "7d", 4);
            Expect(d, Ops, "training_completions", "28d", 5);
            Expect(d, Eng, "training_completions", "1d", 1);
            Expect(d, Eng, "training_completions", "7d", 1);
            // training_completion_rate on D, catalog ai-basics (every level) + ai-for-operators (frontline):
            //   olga no (only enrolled), pablo yes (both), quinn yes (both), rita yes, sam no (D+1), tara no (voided).
            // org 3/6, Operations 2/3, Engineering 1/3.
            Expect(d, null, "training_completion_rate", "day", 0.5);
            Expect(d, Ops, "training_completion_rate", "day", 2.0 / 3);
            Expect(d, Eng, "training_completion_rate", "day", 1.0 / 3);
            // On D-4: quinn has both (D-5, D-4), pablo only ai-basics (D-4), rita not yet -> org 1/6, Ops 1/3, Eng 0.
            Expect(d.AddDays(-4), null, "training_completion_rate", "day", 1.0 / 6);
            Expect(d.AddDays(-4), Ops, "training_completion_rate", "day", 1.0 / 3);
            Expect(d.AddDays(-4), Eng, "training_completion_rate", "day", 0);

            // projects: Jira epic AIP-1 (label ai-project) created D-8 by rita, assigned to sam -> members rita, sam from
            // D-8; story AIP-2 under it created D-3 by pablo, assigned to quinn -> members pablo, quinn from D-3.
            // On D: active 1 everywhere, cross-department 1 (Engineering and Operations members).
            // On D-4: only the Engineering members -> org active 1, cross 0; Operations has no member yet.
            Expect(d, null, "active_projects", "day", 1);
            Expect(d, null, "cross_department_projects", "day", 1);
            Expect(d, Ops, "active_projects", "day", 1);
            Expect(d, Eng, "cross_department_projects", "day", 1);
            Expect(d.AddDays(-4), null, "active_projects", "day", 1);
            Expect(d.AddDays(-4), null, "cross_department_projects", "day", 0);
            Expect(d.AddDays(-4), Ops, "active_projects", "day", 0);
            Expect(d.AddDays(-4), Eng, "active_projects", "day", 1);

            // People of the directory each source covers (data-health board): in scope today 6, with a resolved event
            // of the source in the 28 days ending today (every event lies in D-15..D+1).
            //   lms: olga (enrolment, excel-advanced), quinn, pablo, rita, sam; tara's only completion was voided -> 5.
            //   lowcode: pablo (prototype, build, runs), sam (team project runs) -> 2.
            //   ticketing: pablo, sam, quinn (ideas, OPS-55, AIP-2), olga (DEC-7), rita (DEC-8, AIP-1) -> 5.
            //   directory: sends no events, so no coverage.
            var coverage = await influx.QueryAsync(cli.Database, "SELECT last(\"people\") AS \"people\", last(\"directory_people\") AS \"of\" FROM \"source_health\" GROUP BY \"source\"");
            Assert.Contains("\"source\":\"lms\"},\"columns\":[\"time\",\"people\",\"of\"],\"values\":[[", coverage, StringComparison.Ordinal);
            Assert.Matches("\"source\":\"lms\"},[^}]*,5,6\\]\\]", coverage);
            Assert.Matches("\"source\":\"lowcode\"},[^}]*,2,6\\]\\]", coverage);
            Assert.Matches("\"source\":\"ticketing\"},[^}]*,5,6\\]\\]", coverage);
            Assert.DoesNotContain("\"source\":\"directory\"", coverage, StringComparison.Ordinal);

            Assert.True(failures.Count == 0, $"{failures.Count} KPI values differ from the hand-computed ones:\n{string.Join("\n", failures)}\n\nsync output:\n{sync.Output}");
        }
        finally
        {
            Directory.Delete(mapDirectory, recursive: true);
        }
    }

    private static void AssertLine(string[] lines, string expectedWithoutDuration)
    {
        var source = expectedWithoutDuration[..expectedWithoutDuration.IndexOf(':', StringComparison.Ordinal)];
        var line = Assert.Single(lines, l => l.StartsWith(source + ":", StringComparison.Ordinal));
        // The line ends with ", <seconds> s".
        Assert.Equal(expectedWithoutDuration, line[..line.LastIndexOf(", ", StringComparison.Ordinal)]);
    }

    /// <summary>Every connector pointed at the loopback vendors, with the mapping rules of docs/sources.md.</summary>
    private static string[] Settings(string b, string identityMap) =>
    [
        "--Kpi:MinimumGroupSize", "2",
        "--Kpi:RequiredCourses:ai-basics", "executive;manager;specialist;frontline",
        "--Kpi:RequiredCourses:ai-for-operators", "frontline",

        "--Sources:Directory:Enabled", "true",
        "--Sources:Directory:Provider", "Graph",
        "--Sources:Directory:BaseUrl", b + "/graph",
        "--Sources:Directory:TokenEndpoint", $"{b}/login/{Credentials.GraphTenant}/oauth2/v2.0/token",
        "--Sources:Directory:ClientId", Credentials.GraphClientId,
        "--Sources:Directory:ClientSecret", Credentials.GraphClientSecret,
        "--Sources:Directory:InitialLookback", "21.00:00:00",
        "--Sources:Directory:LevelRules:0:Level", "executive",
        "--Sources:Directory:LevelRules:0:TitlePattern", @"^(chief\b|c[etfo]o\b|vp\b|vice president)",
        "--Sources:Directory:LevelRules:1:Level", "frontline",
        "--Sources:Directory:LevelRules:1:TitlePattern", "operator|cashier|agent|technician",
        "--Sources:Directory:IdentityMapPath", identityMap,

        "--Sources:Lms:Enabled", "true",
        "--Sources:Lms:BaseUrl", b + "/lrs/xapi",
        "--Sources:Lms:Username", Credentials.LrsUsername,
        "--Sources:Lms:Password", Credentials.LrsPassword,
        "--Sources:Lms:InitialLookback", "21.00:00:00",
        "--Sources:Lms:PageSize", "4",
        "--Sources:Lms:CourseActivityPrefixes:0", Courses,

        "--Sources:LowCode:Enabled", "true",
        "--Sources:LowCode:BaseUrl", b + "/n8n/api/v1",
        "--Sources:LowCode:ApiKey", Credentials.N8nApiKey,
        "--Sources:LowCode:InitialLookback", "21.00:00:00",
        "--Sources:LowCode:PageSize", "2",

        "--Sources:Ticketing:Enabled", "true",
        "--Sources:Ticketing:BaseUrl", b + "/jira",
        "--Sources:Ticketing:Email", Credentials.JiraEmail,
        "--Sources:Ticketing:ApiToken", Credentials.JiraApiToken,
        "--Sources:Ticketing:InitialLookback", "21.00:00:00",
        "--Sources:Ticketing:PageSize", "4",
        "--Sources:Ticketing:Jql", "project in (IDEA, DEC, AIP, OPS)",
        "--Sources:Ticketing:Proposal:IssueTypes:0", "Idea",
        "--Sources:Ticketing:Decision:IssueTypes:0", "Decision",
        "--Sources:Ticketing:Project:IssueTypes:0", "Epic",
        "--Sources:Ticketing:Project:Labels:0", "ai-project",
    ];

    /// <summary>A Berlin wall-clock time on <paramref name="day"/> (hours chosen away from DST changes).</summary>
    private static DateTimeOffset At(DateOnly day, int hour, int minute = 0)
    {
        var local = day.ToDateTime(new TimeOnly(hour, minute));
        return new DateTimeOffset(local, Berlin.GetUtcOffset(local));
    }

    /// <summary>What the vendors hold, relative to the check day <paramref name="d"/>.</summary>
    private static ScenarioVendors Scenario(DateOnly d)
    {
        var data = new ScenarioVendors();

        // ---- Graph: 8 users ----
        const string olgaId = "6e1f0a52-3b7c-4d1e-9a2f-1b3c5d7e9f01";
        const string ritaId = "2d4f6a8c-0e1b-4c3d-8e5f-7a9b1c3d5e02";
        data.GraphUsers.AddRange(
        [
            GraphPages.User(olgaId, "Olga.Berg@example.com", "oberg@acme.onmicrosoft.com", Ops, "Head of Operations", null, employeeId: "10017"),
            GraphPages.User("9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c03", "Pablo.Diaz@example.com", "pdiaz@acme.onmicrosoft.com", Ops, "Machine Operator", olgaId, employeeId: "10342"),
            GraphPages.User("1f2e3d4c-5b6a-4978-8a6b-5c4d3e2f1a04", "Quinn.Lee@example.com", "qlee@acme.onmicrosoft.com", Ops, "Field Service Technician", olgaId, employeeId: "10388"),
            GraphPages.User(ScannerGraphId, "svc-scanner@example.com", "svc-scanner@acme.onmicrosoft.com", null, null, null),
            GraphPages.User(ritaId, "Rita.Chen@example.com", "rchen@acme.onmicrosoft.com", Eng, "Chief Technology Officer", null, employeeId: "10002"),
            GraphPages.User("7c6b5a49-3827-4615-9f4e-3d2c1b0a9f06", "Sam.Okafor@example.com", "sokafor@acme.onmicrosoft.com", Eng, "Software Engineer", ritaId, employeeId: "10415"),
            GraphPages.User("5e4d3c2b-1a09-4f8e-7d6c-5b4a39281707", "Tara.Novak@example.com", "tnovak@acme.onmicrosoft.com", Eng, "Data Scientist", ritaId, employeeId: "10420"),
            GraphPages.User("3b2a1908-f7e6-4d5c-b4a3-928170f6e508", "Uwe.Brandt@example.com", "ubrandt@acme.onmicrosoft.com", Eng, "Software Engineer", ritaId, enabled: false, employeeId: "10077"),
        ]);

        // ---- xAPI: 11 statements, each stored 41 s after its timestamp ----
        static JsonObject Statement(string id, JsonObject actor, string verb, string activityId, string activityType, DateTimeOffset timestamp, JsonObject? grouping = null)
        {
            var statement = XapiPages.Statement(id, verb, activityId, Utc(timestamp.AddSeconds(41)), Iso(timestamp), type: activityType).Set("actor", actor);
            return grouping is null ? statement : statement.Set("context.contextActivities", new JsonObject { ["grouping"] = new JsonArray(grouping) });
        }

        static JsonObject Mbox(string email, string name) => XapiPages.Mbox(email, name);
        static JsonObject QuinnMoodle() => XapiPages.Account("https://lms.example.com", "qlee", "Quinn Lee");
        const string adl = XapiPages.Adl;
        const string taraCompletion = "6f1d2c3b-4a59-4e68-9d7c-8b9a0f1e2d38";
        data.Statements.AddRange(
        [
            // olga: a course outside the catalog (counts in training_completions, not in the rate), and an enrolment.
            Statement("0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e1", Mbox("Olga.Berg@example.com", "Olga Berg"), adl + "completed", Courses + "excel-advanced", CourseType, At(d.AddDays(-10), 11)),
            Statement("1c2d3e4f-5061-4b72-9c83-a4b5c6d7e8f2", Mbox("Olga.Berg@example.com", "Olga Berg"), adl + "launched", Courses + "ai-basics", CourseType, At(d.AddDays(-6), 9, 5)),
            // quinn learns under a Moodle account (linked by the mapping CSV).
            Statement("2d3e4f50-6172-4c83-8d94-b5c6d7e8f9a3", QuinnMoodle(), adl + "completed", Courses + "ai-basics", CourseType, At(d.AddDays(-5), 13, 20)),
            Statement("3e4f5061-7283-4d94-9ea5-c6d7e8f9a0b4", Mbox("Pablo.Diaz@example.com", "Pablo Diaz"), adl + "completed", Courses + "ai-basics", CourseType, At(d.AddDays(-4), 9, 15)),
            Statement("4f506172-8394-4ea5-8fb6-d7e8f9a0b1c5", QuinnMoodle(), adl + "passed", Courses + "ai-for-operators", CourseType, At(d.AddDays(-4), 15, 40)),
            Statement("50617283-94a5-4fb6-9ac7-e8f9a0b1c2d6", Mbox("Pablo.Diaz@example.com", "Pablo Diaz"), adl + "passed", Courses + "ai-for-operators", CourseType, At(d.AddDays(-3), 14)),
            // An ignored verb.
            Statement("61728394-a5b6-4ac7-8bd8-f9a0b1c2d3e7", Mbox("Rita.Chen@example.com", "Rita Chen"), adl + "experienced", Courses + "ai-basics", CourseType, At(d.AddDays(-3), 16)),
            // tara's completion, pulled before it was voided (an LRS stops listing a statement once voided), and its
            // voiding by an LMS administrator the next day: it must not count anywhere.
            Statement(taraCompletion, Mbox("Tara.Novak@example.com", "Tara Novak"), adl + "completed", Courses + "ai-basics", CourseType, At(d.AddDays(-2), 10, 30)),
            XapiPages.Voiding("7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c09", taraCompletion, Utc(At(d.AddDays(-1), 9))),
            // rita completes a cmi5 AU whose course is the grouping activity.
            Statement("8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1a", Mbox("Rita.Chen@example.com", "Rita Chen"), adl + "completed", "https://lms.example.com/cmi5/au/ai-basics-module-3", "https://w3id.org/xapi/cmi5/activities/au", At(d, 10),
                grouping: XapiPages.ContextActivity(Courses + "ai-basics", "https://w3id.org/xapi/cmi5/activitytype/course")),
            // sam completes after D: counts from D+1 only.
            Statement("9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2b", Mbox("Sam.Okafor@example.com", "Sam Okafor"), adl + "completed", Courses + "ai-basics", CourseType, At(d.AddDays(1), 11)),
        ]);

        // ---- n8n: pablo's personal project and an Engineering team project with one admin ----
        var pabloProject = Project("Kq4XJd1e2Vb7Wm9P", "Pablo Diaz <pablo.diaz@example.com>", "personal",
            ("b1d7c3e5-0a2f-4e6b-9c8d-7f1a2b3c4d5e", Pablo, "Pablo", "Diaz", "project:personalOwner"));
        var teamProject = Project("Tm3Rw8Yz5Lp0Nc2A", "Engineering automation", "team",
            ("c2e8d4f6-1b3a-4f7c-8d9e-8a2b3c4d5e6f", Sam, "Sam", "Okafor", "project:admin"),
            ("d3f9e5a7-2c4b-4a8d-9eaf-9b3c4d5e6f7a", Tara, "Tara", "Novak", "project:editor"));
        data.Projects.AddRange([pabloProject, teamProject]);
        const string triage = "2tUt1wbLX592XDdX";
        const string summariser = "Hx83kQ0pZr1sVb4D";
        const string roster = "Pq7mN2vB9cX4zL6T";
        data.Workflows.AddRange(
        [
            Workflow(triage, "Invoice triage agent", At(d.AddDays(-3), 8), At(d.AddDays(-3), 11), pabloProject,
                "n8n-nodes-base.emailReadImap", "@n8n/n8n-nodes-langchain.agent", "@n8n/n8n-nodes-langchain.lmChatOpenAi", "n8n-nodes-base.googleSheets"),
            Workflow(summariser, "Release notes summariser", At(d.AddDays(-40), 10), At(d.AddDays(-40), 12), teamProject,
                "n8n-nodes-base.scheduleTrigger", "@n8n/n8n-nodes-langchain.chainSummarization", "n8n-nodes-base.slack"),
            Workflow(roster, "Shift roster sync", At(d.AddDays(-2), 9), At(d.AddDays(-2), 9, 30), pabloProject,
                "n8n-nodes-base.scheduleTrigger", "n8n-nodes-base.httpRequest", "n8n-nodes-base.googleSheets"),
        ]);
        data.Executions.AddRange(
        [
            Execution(4990, summariser, At(d.AddDays(-45), 10)),
            Execution(5001, summariser, At(d.AddDays(-5), 10), status: "error"),
            Execution(5002, triage, At(d.AddDays(-1), 16)),
            Execution(5003, roster, At(d.AddDays(-1), 6)),
            Execution(5004, summariser, At(d, 9, 30)),
            Execution(5005, triage, At(d.AddDays(1), 10), mode: "webhook"),
        ]);

        // ---- Jira: 9 issues ----
        static JsonObject PabloJira() => JiraPages.User("5b10ac8d82e05b22cc7d4e01", "pdiaz@acme.onmicrosoft.com", "Pablo Diaz");
        static JsonObject QuinnJira() => JiraPages.User("5b10ac8d82e05b22cc7d4e02", "quinn.lee@example.com", "Quinn Lee");
        static JsonObject OlgaJira() => JiraPages.User("5b10ac8d82e05b22cc7d4e03", "olga.berg@example.com", "Olga Berg");
        static JsonObject RitaJira() => JiraPages.User("5b10ac8d82e05b22cc7d4e04", "rita.chen@example.com", "Rita Chen");
        static JsonObject SamJira() => JiraPages.User(SamJiraAccount, null, "Sam Okafor");
        var ideaCreated = new DateTimeOffset(d.AddDays(-1).ToDateTime(new TimeOnly(23, 30)), TimeSpan.Zero);
        data.Issues.AddRange(
        [
            Issue(10101, "IDEA-101", "Idea", ideaCreated, ideaCreated.AddMinutes(20), PabloJira()),
            Issue(10102, "IDEA-102", "Idea", At(d.AddDays(-4), 10), At(d.AddDays(-1), 12, 1), SamJira(), resolution: "Done", resolved: At(d.AddDays(-1), 12)),
            Issue(10103, "IDEA-103", "Idea", At(d.AddDays(-12), 14), At(d.AddDays(-12), 14, 10), QuinnJira()),
            Issue(10207, "DEC-7", "Decision", At(d.AddDays(-3), 9), At(d, 15, 5), RitaJira(), OlgaJira(), ["ai-assisted", "pricing"], "Done", At(d, 15)),
            Issue(10208, "DEC-8", "Decision", At(d.AddDays(-6), 9), At(d.AddDays(-2), 11, 1), OlgaJira(), RitaJira(), [], "Done", At(d.AddDays(-2), 11)),
            Issue(10209, "DEC-9", "Decision", At(d.AddDays(-1), 9), At(d.AddDays(-1), 9, 30), RitaJira(), SamJira()),
            Issue(10301, "AIP-1", "Epic", At(d.AddDays(-8), 9), At(d.AddDays(-3), 10, 40), RitaJira(), SamJira(), ["ai-project"]),
            Issue(10302, "AIP-2", "Story", At(d.AddDays(-3), 10, 30), At(d.AddDays(-3), 10, 31), PabloJira(), QuinnJira(), parent: JiraPages.Parent("10301", "AIP-1", "Epic")),
            Issue(10055, "OPS-55", "Task", At(d.AddDays(-16), 9), At(d.AddDays(-15), 17, 2), OlgaJira(), QuinnJira(), ["ai-assisted"], "Done", At(d.AddDays(-15), 17)),
        ]);
        return data;
    }
}
