using System.Globalization;

namespace Metrics.Testing.Golden;

/// <summary>
/// A dozen people whose every KPI on two check days is worked out by hand from the spec (see the comments in
/// <see cref="Expected"/>). Org zone Europe/Berlin (+01:00 in the range), minimum group size 3.
/// Engineering 5 (4 after bob moves to Sales on 03-06), Sales 4 (ivan leaves on 03-05, bob arrives), Ops 2 and
/// Legal 1 are below the minimum and merge into "(small groups)" (headcount 3, so it is written).
/// Traps: events near midnight in other offsets, a duplicate key whose later line moves the event, a retraction
/// that arrives before its target, an unknown person, an event of a leaver after leaving, a late event imported in
/// a second batch, a course outside the catalog and an enrolment (no KPI).
/// </summary>
public static class GoldenCompany
{
    public const string TimeZone = "Europe/Berlin";
    public const int MinimumGroupSize = 3;
    public const string SmallGroups = "(small groups)";

    public static readonly DateOnly DayA = new(2026, 3, 3);
    public static readonly DateOnly DayB = new(2026, 3, 10);

    public const string Directory = """
        person,department,level,from,to
        alice@example.com,Engineering,executive,2025-01-01,
        bob@example.com,Engineering,specialist,2025-01-01,2026-03-06
        bob@example.com,Sales,specialist,2026-03-06,
        carol@example.com,Engineering,specialist,2025-01-01,
        dave@example.com,Engineering,frontline,2025-01-01,
        erin@example.com,Engineering,manager,2025-01-01,
        frank@example.com,Sales,manager,2025-01-01,
        grace@example.com,Sales,frontline,2025-01-01,
        heidi@example.com,Sales,frontline,2025-01-01,
        ivan@example.com,Sales,frontline,2025-01-01,2026-03-05
        judy@example.com,Ops,frontline,2025-01-01,
        mallory@example.com,Ops,frontline,2025-01-01,
        niaj@example.com,Legal,specialist,2025-01-01,
        """;

    public const string Courses = """
        course,levels
        ai-basics,executive;manager;specialist;frontline
        ai-strategy,executive
        ai-engineering,specialist
        """;

    public const string Events = """
        {"source":"lowcode","id":"a1","type":"ai.used","time":"2026-03-03T09:00:00+01:00","person":"alice@example.com","attributes":{"tool":"word"}}
        {"source":"lowcode","id":"a2","type":"ai.used","time":"2026-03-02T23:30:00Z","person":"dave@example.com","attributes":{"tool":"github-copilot","editor":"vscode"}}
        {"source":"lowcode","id":"a3","type":"ai.used","time":"2026-03-03T00:30:00+05:00","person":" Grace@Example.com ","attributes":{"tool":" Word "}}
        {"source":"lowcode","id":"a4","type":"ai.used","time":"2026-02-20T10:00:00+01:00","person":"judy@example.com"}
        {"source":"lowcode","id":"a5","type":"ai.used","time":"2026-03-09T12:00:00+01:00","person":"bob@example.com","attributes":{"tool":"github-copilot"}}
        {"source":"lowcode","id":"a6","type":"ai.used","time":"2026-03-10T08:00:00+01:00","person":"niaj@example.com","attributes":{"tool":"chat"}}
        {"source":"lowcode","id":"a7","type":"ai.used","time":"2026-03-10T09:00:00+01:00","person":"ivan@example.com","attributes":{"tool":"excel"}}
        {"source":"lowcode","id":"a8","type":"ai.used","time":"2026-03-03T09:00:00+01:00","person":"zed@example.com","attributes":{"tool":"teams"}}
        {"source":"lowcode","id":"a9","type":"ai.used","time":"2026-03-01T09:00:00+01:00","person":"carol@example.com","attributes":{"tool":"excel"}}
        {"source":"lowcode","id":"a9","type":"ai.used","time":"2026-03-08T09:00:00+01:00","person":"carol@example.com","attributes":{"tool":"Chat,GPT=\u0007 \"x\" \\"}}
        {"source":"lms","id":"void-1","type":"event.retracted","time":"2026-03-04T10:00:00+01:00","person":"heidi@example.com","attributes":{"target":"st-r1"}}
        {"source":"lms","id":"st-r1","type":"training.completed","time":"2026-03-01T10:00:00+01:00","person":"heidi@example.com","attributes":{"course":"ai-basics"}}
        {"source":"lms","id":"t1","type":"training.completed","time":"2026-01-10T10:00:00+01:00","person":"alice@example.com","attributes":{"course":"ai-basics"}}
        {"source":"lms","id":"t2","type":"training.completed","time":"2026-03-03T10:00:00+01:00","person":"alice@example.com","attributes":{"course":"ai-strategy"}}
        {"source":"lms","id":"t3","type":"training.completed","time":"2026-02-01T10:00:00+01:00","person":"bob@example.com","attributes":{"course":"ai-basics"}}
        {"source":"lms","id":"t4","type":"training.completed","time":"2026-03-08T10:00:00+01:00","person":"bob@example.com","attributes":{"course":"ai-engineering"}}
        {"source":"lms","id":"t5","type":"training.completed","time":"2026-03-02T10:00:00+01:00","person":"grace@example.com","attributes":{"course":"ai-basics"}}
        {"source":"lms","id":"t6","type":"training.completed","time":"2026-03-09T10:00:00+01:00","person":"judy@example.com","attributes":{"course":"ai-basics"}}
        {"source":"lms","id":"t7","type":"training.completed","time":"2026-03-10T10:00:00+01:00","person":"frank@example.com","attributes":{"course":"ai-basics"}}
        {"source":"lms","id":"t8","type":"training.enrolled","time":"2026-03-01T10:00:00+01:00","person":"dave@example.com","attributes":{"course":"ai-basics"}}
        {"source":"lms","id":"t9","type":"training.completed","time":"2026-03-03T11:00:00+01:00","person":"carol@example.com","attributes":{"course":"python-101"}}
        {"source":"lms","id":"k1","type":"knowledge.shared","time":"2026-03-02T15:00:00+01:00","person":"bob@example.com","attributes":{"artifact":"prompt-library"}}
        {"source":"lms","id":"k2","type":"knowledge.shared","time":"2026-03-09T15:00:00+01:00","person":"mallory@example.com","attributes":{"artifact":"ops-playbook"}}
        {"source":"ticketing","id":"p1","type":"proposal.submitted","time":"2026-03-03T11:00:00+01:00","person":"dave@example.com","attributes":{"proposal":"P1"}}
        {"source":"ticketing","id":"p2","type":"proposal.submitted","time":"2026-03-03T12:00:00+01:00","person":"frank@example.com","attributes":{"proposal":"P2"}}
        {"source":"ticketing","id":"p3","type":"proposal.submitted","time":"2026-03-09T12:00:00+01:00","person":"judy@example.com","attributes":{"proposal":"P3"}}
        {"source":"ticketing","id":"c1","type":"proposal.submitted","time":"2025-10-15T12:00:00+02:00","person":"grace@example.com","attributes":{"proposal":"C1"}}
        {"source":"ticketing","id":"c1a","type":"proposal.adopted","time":"2025-12-01T12:00:00+01:00","person":"frank@example.com","attributes":{"proposal":"C1"}}
        {"source":"ticketing","id":"c2","type":"proposal.submitted","time":"2025-11-20T12:00:00+01:00","person":"carol@example.com","attributes":{"proposal":"C2"}}
        {"source":"ticketing","id":"c2a","type":"proposal.adopted","time":"2026-03-01T12:00:00+01:00","person":"erin@example.com","attributes":{"proposal":"C2"}}
        {"source":"ticketing","id":"c3","type":"proposal.submitted","time":"2025-09-20T12:00:00+02:00","person":"judy@example.com","attributes":{"proposal":"C3"}}
        {"source":"ticketing","id":"d1","type":"decision.recorded","time":"2026-03-03T14:00:00+01:00","person":"erin@example.com","attributes":{"decision":"D1","aiAssisted":true}}
        {"source":"ticketing","id":"d2","type":"decision.recorded","time":"2026-03-03T15:00:00+01:00","person":"frank@example.com","attributes":{"decision":"D2","aiAssisted":false}}
        {"source":"ticketing","id":"d3","type":"decision.recorded","time":"2026-03-08T15:00:00+01:00","person":"niaj@example.com","attributes":{"decision":"D3","aiAssisted":true}}
        {"source":"lowcode","id":"pr1","type":"prototype.created","time":"2026-03-03T16:00:00+01:00","person":"heidi@example.com","attributes":{"prototype":"PR1"}}
        {"source":"lowcode","id":"pr2","type":"prototype.created","time":"2026-03-05T16:00:00+01:00","person":"carol@example.com","attributes":{"prototype":"PR2"}}
        {"source":"ticketing","id":"x-start","type":"project.started","time":"2026-02-01T09:00:00+01:00","person":"alice@example.com","attributes":{"project":"X"}}
        {"source":"ticketing","id":"x-m1","type":"project.member","time":"2026-02-01T09:00:00+01:00","person":"alice@example.com","attributes":{"project":"X"}}
        {"source":"ticketing","id":"x-m2","type":"project.member","time":"2026-03-04T09:00:00+01:00","person":"heidi@example.com","attributes":{"project":"X"}}
        {"source":"ticketing","id":"y-start","type":"project.started","time":"2026-01-10T09:00:00+01:00","person":"frank@example.com","attributes":{"project":"Y"}}
        {"source":"ticketing","id":"y-m1","type":"project.member","time":"2026-01-10T09:00:00+01:00","person":"frank@example.com","attributes":{"project":"Y"}}
        {"source":"ticketing","id":"y-m2","type":"project.member","time":"2026-01-15T09:00:00+01:00","person":"judy@example.com","attributes":{"project":"Y"}}
        {"source":"ticketing","id":"y-fail","type":"project.failed","time":"2026-03-02T09:00:00+01:00","person":"frank@example.com","attributes":{"project":"Y"}}
        {"source":"ticketing","id":"y-retro","type":"project.retrospective","time":"2026-03-09T09:00:00+01:00","person":"frank@example.com","attributes":{"project":"Y"}}
        {"source":"ticketing","id":"z-start","type":"project.started","time":"2025-11-01T09:00:00+01:00","person":"carol@example.com","attributes":{"project":"Z"}}
        {"source":"ticketing","id":"z-m1","type":"project.member","time":"2025-11-01T09:00:00+01:00","person":"carol@example.com","attributes":{"project":"Z"}}
        {"source":"ticketing","id":"z-fail","type":"project.failed","time":"2025-12-20T09:00:00+01:00","person":"carol@example.com","attributes":{"project":"Z"}}
        {"source":"ticketing","id":"w-start","type":"project.started","time":"2026-02-10T09:00:00+01:00","person":"dave@example.com","attributes":{"project":"W"}}
        {"source":"ticketing","id":"w-m1","type":"project.member","time":"2026-02-10T09:00:00+01:00","person":"dave@example.com","attributes":{"project":"W"}}
        {"source":"ticketing","id":"w-done","type":"project.completed","time":"2026-03-03T17:00:00+01:00","person":"dave@example.com","attributes":{"project":"W"}}
        """;

    /// <summary>Imported after <see cref="Events"/>: lands on day A, whose windows must be re-aggregated.</summary>
    public const string LateEvents = """
        {"source":"lowcode","id":"late1","type":"ai.used","time":"2026-03-03T15:00:00+01:00","person":"erin@example.com","attributes":{}}
        """;

    /// <summary>
    /// Every point expected on <see cref="DayA"/> and <see cref="DayB"/>, no more, no less: (date, department or null
    /// for the org, kpi, window, value). Groups on both days: org, Engineering, Sales, (small groups) = Ops + Legal.
    /// </summary>
    public static IReadOnlyList<(DateOnly Date, string? Department, string Kpi, string Window, double Value)> Expected { get; } = BuildExpected();

    private static List<(DateOnly, string?, string, string, double)> BuildExpected()
    {
        var list = new List<(DateOnly, string?, string, string, double)>();
        const string Org = "";
        const string Eng = "Engineering";
        const string Sales = "Sales";
        const string Small = SmallGroups;

        void E(DateOnly day, string group, string kpi, string window, double value) =>
            list.Add((day, group.Length == 0 ? null : group, kpi, window, value));

        // Helper for the four groups in the order org, Engineering, Sales, (small groups).
        void All(DateOnly day, string kpi, string window, double? org, double? eng, double? sales, double? small)
        {
            if (org is { } o) E(day, Org, kpi, window, o);
            if (eng is { } e) E(day, Eng, kpi, window, e);
            if (sales is { } s) E(day, Sales, kpi, window, s);
            if (small is { } m) E(day, Small, kpi, window, m);
        }

        // ---------------- Day A = 2026-03-03. 7d = 02-25..03-03, 28d = 02-04..03-03, 90d = 2025-12-04..03-03,
        // cohort = 2025-09-05..2025-12-03. In scope: Eng {alice, bob, carol, dave, erin} 5, Sales {frank, grace, heidi,
        // ivan} 4, Ops {judy, mallory} 2 + Legal {niaj} 1 -> small groups 3; org 12.
        var a = DayA;
        All(a, "headcount", "day", 12, 5, 4, 3);
        // ai.used: alice 03-03, dave 03-02T23:30Z = 03-03 00:30 Berlin, erin 03-03 (late), grace 03-03T00:30+05:00 =
        // 03-02 20:30 Berlin, judy 02-20; carol's a9 was moved to 03-08; zed is unknown.
        All(a, "active_ai_users", "1d", 3, 3, 0, 0);
        All(a, "active_ai_users", "7d", 4, 3, 1, 0);
        All(a, "active_ai_users", "28d", 5, 3, 1, 1);
        All(a, "ai_usage_rate", "1d", 3.0 / 12, 3.0 / 5, 0.0 / 4, 0.0 / 3);
        All(a, "ai_usage_rate", "7d", 4.0 / 12, 3.0 / 5, 1.0 / 4, 0.0 / 3);
        All(a, "ai_usage_rate", "28d", 5.0 / 12, 3.0 / 5, 1.0 / 4, 1.0 / 3);
        // proposals: p1 dave (Eng, frontline) and p2 frank (Sales, manager) on 03-03; the cohort ones are older.
        foreach (var w in new[] { "1d", "7d", "28d" })
        {
            All(a, "proposals", w, 2, 1, 1, 0);
            All(a, "bottom_up_proposals", w, 1, 1, 0, 0);
            All(a, "bottom_up_share", w, 0.5, 1.0, 0.0, null);
            // d1 erin (Eng, AI) and d2 frank (Sales, not AI) on 03-03.
            All(a, "decisions", w, 2, 1, 1, 0);
            All(a, "ai_decisions", w, 1, 1, 0, 0);
            All(a, "ai_decision_coverage", w, 0.5, 1.0, 0.0, null);
            // pr1 heidi (Sales, frontline) on 03-03; pr2 is on 03-05.
            All(a, "prototypes", w, 1, 0, 1, 0);
            All(a, "frontline_prototypes", w, 1, 0, 1, 0);
        }

        All(a, "proposer_rate", "28d", 2.0 / 12, 1.0 / 5, 1.0 / 4, 0.0 / 3);
        // completions: t2 alice and t9 carol (Eng) on 03-03, t5 grace (Sales) on 03-02; t3 (02-01) and t1 are
        // outside 28d; st-r1 is retracted.
        All(a, "training_completions", "1d", 2, 2, 0, 0);
        All(a, "training_completions", "7d", 3, 2, 1, 0);
        All(a, "training_completions", "28d", 3, 2, 1, 0);
        // every level requires ai-basics, so all 12 are eligible; complete: alice (basics + strategy) and grace.
        All(a, "training_completion_rate", "day", 2.0 / 12, 1.0 / 5, 1.0 / 4, 0.0 / 3);
        // k1 bob (Eng) on 03-02.
        All(a, "knowledge_shares", "7d", 1, 1, 0, 0);
        All(a, "knowledge_shares", "28d", 1, 1, 0, 0);
        All(a, "knowledge_share_rate", "7d", 1 * 100.0 * 7 / (12.0 * 7), 1 * 100.0 * 7 / (5.0 * 7), 0, 0);
        All(a, "knowledge_share_rate", "28d", 1 * 100.0 * 7 / (12.0 * 28), 1 * 100.0 * 7 / (5.0 * 28), 0, 0);
        // X (member alice, Eng; heidi joins 03-04) and W (dave, Eng; completed today, so still active) are active.
        All(a, "active_projects", "day", 2, 2, 0, 0);
        All(a, "cross_department_projects", "day", 0, 0, 0, 0);
        // failed: Y on 03-02 (members then: frank Sales, judy Ops) and Z on 2025-12-20 (carol Eng); Y's
        // retrospective is on 03-09, after day A.
        All(a, "failed_projects", "90d", 2, 1, 1, 1);
        All(a, "retrospective_rate", "90d", 0.0, 0.0, 0.0, 0.0);
        // cohort: C1 grace (Sales, adopted after 47 days), C2 carol (Eng, adopted after 101 days: too late), C3 judy (Ops).
        All(a, "cohort_proposals", "cohort", 3, 1, 1, 1);
        All(a, "cohort_adopted", "cohort", 1, 0, 1, 0);
        All(a, "proposal_conversion_rate", "cohort", 1.0 / 3, 0.0, 1.0, 0.0);

        // ---------------- Day B = 2026-03-10. 7d = 03-04..03-10, 28d = 02-11..03-10, 90d = 2025-12-11..03-10,
        // cohort = 2025-09-12..2025-12-10. ivan left (to 03-05), bob moved to Sales on 03-06: Eng {alice, carol, dave,
        // erin} 4, Sales {frank, grace, heidi, bob} 4, small groups {judy, mallory, niaj} 3; org 11.
        var b = DayB;
        All(b, "headcount", "day", 11, 4, 4, 3);
        // ai.used: niaj 03-10; bob 03-09 (Sales now), carol 03-08; alice, dave, erin 03-03, grace 03-02, judy 02-20.
        // ivan's 03-10 event is after he left: unresolved.
        All(b, "active_ai_users", "1d", 1, 0, 0, 1);
        All(b, "active_ai_users", "7d", 3, 1, 1, 1);
        All(b, "active_ai_users", "28d", 8, 4, 2, 2);
        All(b, "ai_usage_rate", "1d", 1.0 / 11, 0.0 / 4, 0.0 / 4, 1.0 / 3);
        All(b, "ai_usage_rate", "7d", 3.0 / 11, 1.0 / 4, 1.0 / 4, 1.0 / 3);
        All(b, "ai_usage_rate", "28d", 8.0 / 11, 4.0 / 4, 2.0 / 4, 2.0 / 3);
        // proposals: p3 judy (Ops, frontline) on 03-09; p1 and p2 on 03-03.
        All(b, "proposals", "1d", 0, 0, 0, 0);
        All(b, "bottom_up_proposals", "1d", 0, 0, 0, 0);
        All(b, "proposals", "7d", 1, 0, 0, 1);
        All(b, "bottom_up_proposals", "7d", 1, 0, 0, 1);
        All(b, "bottom_up_share", "7d", 1.0, null, null, 1.0);
        All(b, "proposals", "28d", 3, 1, 1, 1);
        All(b, "bottom_up_proposals", "28d", 2, 1, 0, 1);
        All(b, "bottom_up_share", "28d", 2.0 / 3, 1.0, 0.0, 1.0);
        All(b, "proposer_rate", "28d", 3.0 / 11, 1.0 / 4, 1.0 / 4, 1.0 / 3);
        // decisions: d3 niaj (Legal, AI) on 03-08; d1, d2 on 03-03.
        All(b, "decisions", "1d", 0, 0, 0, 0);
        All(b, "ai_decisions", "1d", 0, 0, 0, 0);
        All(b, "decisions", "7d", 1, 0, 0, 1);
        All(b, "ai_decisions", "7d", 1, 0, 0, 1);
        All(b, "ai_decision_coverage", "7d", 1.0, null, null, 1.0);
        All(b, "decisions", "28d", 3, 1, 1, 1);
        All(b, "ai_decisions", "28d", 2, 1, 0, 1);
        All(b, "ai_decision_coverage", "28d", 2.0 / 3, 1.0, 0.0, 1.0);
        // prototypes: pr2 carol (Eng, specialist) on 03-05, pr1 heidi (Sales, frontline) on 03-03.
        All(b, "prototypes", "1d", 0, 0, 0, 0);
        All(b, "frontline_prototypes", "1d", 0, 0, 0, 0);
        All(b, "prototypes", "7d", 1, 1, 0, 0);
        All(b, "frontline_prototypes", "7d", 0, 0, 0, 0);
        All(b, "prototypes", "28d", 2, 1, 1, 0);
        All(b, "frontline_prototypes", "28d", 1, 0, 1, 0);
        // completions: t7 frank (Sales) 03-10, t6 judy (Ops) 03-09, t4 bob (Sales since 03-06) 03-08, t2 + t9 (Eng)
        // 03-03, t5 grace (Sales) 03-02.
        All(b, "training_completions", "1d", 1, 0, 1, 0);
        All(b, "training_completions", "7d", 3, 0, 2, 1);
        All(b, "training_completions", "28d", 6, 2, 3, 1);
        // complete: alice; bob (basics 02-01 + engineering 03-08), frank (03-10, on d counts), grace; judy. heidi's was retracted.
        All(b, "training_completion_rate", "day", 5.0 / 11, 1.0 / 4, 3.0 / 4, 1.0 / 3);
        // k2 mallory (Ops) 03-09; k1 bob (Eng at the time) 03-02.
        All(b, "knowledge_shares", "7d", 1, 0, 0, 1);
        All(b, "knowledge_shares", "28d", 2, 1, 0, 1);
        All(b, "knowledge_share_rate", "7d", 1 * 100.0 * 7 / (11.0 * 7), 0, 0, 1 * 100.0 * 7 / (3.0 * 7));
        All(b, "knowledge_share_rate", "28d", 2 * 100.0 * 7 / (11.0 * 28), 1 * 100.0 * 7 / (4.0 * 28), 0, 1 * 100.0 * 7 / (3.0 * 28));
        // only X is active (W completed 03-03); its members alice (Eng) and heidi (Sales) span two departments.
        All(b, "active_projects", "day", 1, 1, 1, 0);
        All(b, "cross_department_projects", "day", 1, 1, 1, 0);
        // Y (Sales + Ops, retrospective 03-09 within 30 days) and Z (Eng, none).
        All(b, "failed_projects", "90d", 2, 1, 1, 1);
        All(b, "retrospective_rate", "90d", 0.5, 0.0, 1.0, 1.0);
        All(b, "cohort_proposals", "cohort", 3, 1, 1, 1);
        All(b, "cohort_adopted", "cohort", 1, 0, 1, 0);
        All(b, "proposal_conversion_rate", "cohort", 1.0 / 3, 0.0, 1.0, 0.0);
        return list;
    }

    /// <summary>
    /// The tiered breakdown of training_completion_rate on the check days: written only for a level with at least
    /// <see cref="MinimumGroupSize"/> eligible people in the group. (date, department, level, value)
    /// </summary>
    public static IReadOnlyList<(DateOnly Date, string? Department, string Level, double Value)> ExpectedByLevel { get; } =
    [
        // Day A: specialists bob, carol, niaj (none complete); frontline dave, grace, heidi, ivan, judy, mallory (grace).
        // Sales frontline grace, heidi, ivan (grace). Executives (1) and managers (2) are too few everywhere.
        (DayA, null, "specialist", 0.0),
        (DayA, null, "frontline", 1.0 / 6),
        (DayA, "Sales", "frontline", 1.0 / 3),
        // Day B: specialists bob (now complete), carol, niaj; frontline dave, grace, heidi, judy, mallory (grace, judy).
        // Sales frontline is down to grace and heidi after ivan left: too few.
        (DayB, null, "specialist", 1.0 / 3),
        (DayB, null, "frontline", 2.0 / 5),
    ];

    /// <summary>
    /// AI use by tool (the ai_tool_users extension, windows 7d and 28d) on the check days: for each tool someone in the
    /// org used in the window, every group's count; ai_tool_usage_rate is that count over the group's headcount.
    /// Tools: alice word 03-03, dave github-copilot 03-03 (with an editor attribute), grace " Word " 03-02 (= word),
    /// erin none 03-03 (late; = unspecified), judy no attributes 02-20 (= unspecified), bob github-copilot 03-09,
    /// niaj chat 03-10, carol's a9 moved to 03-08 and changed from excel to a hostile name (= other, and excel is
    /// gone with the replaced line). ivan's excel (after leaving) and zed's teams (unknown) are unresolved: no series.
    /// (date, department, tool, window, users)
    /// </summary>
    public static IReadOnlyList<(DateOnly Date, string? Department, string Tool, string Window, int Users)> ExpectedByTool { get; } = BuildExpectedByTool();

    private static List<(DateOnly, string?, string, string, int)> BuildExpectedByTool()
    {
        var list = new List<(DateOnly, string?, string, string, int)>();

        // The four groups in the order org, Engineering, Sales, (small groups), as in Expected.
        void All(DateOnly day, string tool, string window, int org, int eng, int sales, int small)
        {
            list.Add((day, null, tool, window, org));
            list.Add((day, "Engineering", tool, window, eng));
            list.Add((day, "Sales", tool, window, sales));
            list.Add((day, SmallGroups, tool, window, small));
        }

        // Day A 03-03: 7d = 02-25..03-03 (judy's 02-20 is outside), 28d = 02-04..03-03.
        All(DayA, "word", "7d", 2, 1, 1, 0);
        All(DayA, "github-copilot", "7d", 1, 1, 0, 0);
        All(DayA, "unspecified", "7d", 1, 1, 0, 0);
        All(DayA, "word", "28d", 2, 1, 1, 0);
        All(DayA, "github-copilot", "28d", 1, 1, 0, 0);
        All(DayA, "unspecified", "28d", 2, 1, 0, 1);
        // Day B 03-10: 7d = 03-04..03-10: niaj chat, bob github-copilot (Sales now), carol other.
        All(DayB, "chat", "7d", 1, 0, 0, 1);
        All(DayB, "github-copilot", "7d", 1, 0, 1, 0);
        All(DayB, "other", "7d", 1, 1, 0, 0);
        // 28d = 02-11..03-10 adds alice and grace (word), dave (github-copilot, Eng), erin and judy (unspecified).
        All(DayB, "chat", "28d", 1, 0, 0, 1);
        All(DayB, "github-copilot", "28d", 2, 1, 1, 0);
        All(DayB, "other", "28d", 1, 1, 0, 0);
        All(DayB, "word", "28d", 2, 1, 1, 0);
        All(DayB, "unspecified", "28d", 2, 1, 0, 1);
        return list;
    }

    /// <summary>Headcount of a group on a check day (the denominator of ai_tool_usage_rate).</summary>
    public static int Headcount(DateOnly day, string? department) =>
        (int)Expected.Single(e => e.Date == day && e.Department == department && e.Kpi == "headcount").Value;

    /// <summary>Writes the three import files (and the late batch) to <paramref name="directory"/>.</summary>
    public static (string Events, string Late, string Directory, string Courses) WriteFiles(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var events = Path.Combine(directory, "events.jsonl");
        var late = Path.Combine(directory, "late.jsonl");
        var dir = Path.Combine(directory, "directory.csv");
        var courses = Path.Combine(directory, "courses.csv");
        File.WriteAllText(events, Events + "\n");
        File.WriteAllText(late, LateEvents + "\n");
        File.WriteAllText(dir, Directory + "\n");
        File.WriteAllText(courses, Courses + "\n");
        return (events, late, dir, courses);
    }

    public static string Describe((DateOnly Date, string? Department, string Kpi, string Window, double Value) p) =>
        string.Create(CultureInfo.InvariantCulture, $"{p.Date:yyyy-MM-dd} {p.Department ?? "org"} {p.Kpi} {p.Window} = {p.Value:R}");
}
