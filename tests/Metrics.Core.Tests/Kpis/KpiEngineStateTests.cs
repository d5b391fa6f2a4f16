using Metrics.Core.Directory;
using Metrics.Core.Events;
using Metrics.Core.Kpis;

namespace Metrics.Core.Tests.Kpis;

/// <summary>
/// The engine's long-lived state (the 180-day proposal window, project memberships) kept compact for 50 M events a
/// year: long random streams checked against the KPI definitions counted one by one, or against the same stream
/// without the repetitions the compact form thins out.
/// </summary>
public class KpiEngineStateTests
{
    private static readonly DateOnly First = new(2025, 1, 1);
    private static readonly string[] Departments = ["A", "B", "C"];
    private static readonly KpiEngine Engine = new(new KpiOptions { MinimumGroupSize = 5 });

    private static OrgDirectory Directory() => OrgDirectory.Build(Enumerable.Range(0, 30).Select(i =>
        new DirectoryRecord($"p{i}", Departments[i % 3], (Level)(i % 4), First.AddDays(-400), null)));

    private static CanonicalEvent Event(int day, int n, EventType type, int person, string? subject) =>
        new("s", n.ToString(System.Globalization.CultureInfo.InvariantCulture), type,
            new DateTimeOffset(First.AddDays(day).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero).AddMilliseconds(n),
            $"p{person}", subject, false, "{}");

    [Fact]
    public void Compute_ProposalsResubmittedAndAdoptedOverAYear_CohortEqualsTheDefinitionCountedOneByOne()
    {
        // 40 proposal ids over 450 days: ids are submitted again, adopted before, on and after their submissions,
        // and forgotten once their last submission leaves the 180 days, then submitted anew.
        var rng = new Random(12);
        var events = new List<CanonicalEvent>();
        for (var day = -200; day < 250; day++)
        {
            for (var i = 0; i < rng.Next(0, 12); i++)
            {
                var type = rng.Next(3) == 0 ? EventType.ProposalAdopted : EventType.ProposalSubmitted;
                events.Add(Event(day, events.Count, type, rng.Next(30), $"proposal-{rng.Next(40)}"));
            }
        }

        var from = First.AddDays(60);
        var to = First.AddDays(249);
        var points = Engine.Compute(events, Directory(), CourseCatalog.Empty, from, to).ToList();

        static int dayOf(CanonicalEvent e) => DateOnly.FromDateTime(e.Time.UtcDateTime).DayNumber;
        var submissions = events.Where(e => e.Type == EventType.ProposalSubmitted).ToList();
        var adoptions = events.Where(e => e.Type == EventType.ProposalAdopted).ToList();
        var checkedDays = 0;
        for (var date = from; date <= to; date = date.AddDays(1))
        {
            var d = date.DayNumber;
            foreach (var department in new string?[] { null, "A", "B", "C" })
            {
                // The definition: submissions of days d-179..d-90, adopted when an adoption of the same proposal
                // falls on the submission's day or within 90 days after it.
                var cohort = submissions.Where(s => dayOf(s) >= d - 179 && dayOf(s) <= d - 90
                    && (department is null || Departments[int.Parse(s.Person[1..], System.Globalization.CultureInfo.InvariantCulture) % 3] == department)).ToList();
                var adopted = cohort.Count(s => adoptions.Exists(a =>
                    a.Subject == s.Subject && dayOf(a) >= dayOf(s) && dayOf(a) <= dayOf(s) + 90));

                Assert.Equal(cohort.Count, Value(points, date, department, "cohort_proposals"));
                Assert.Equal(adopted, Value(points, date, department, "cohort_adopted"));
                checkedDays += cohort.Count > 0 && adopted > 0 && adopted < cohort.Count ? 1 : 0;
            }
        }

        Assert.True(checkedDays > 100, $"only {checkedDays} group-days had a partly adopted cohort");
    }

    [Fact]
    public void Compute_MembersJoiningTheSameProjectsAgainAndAgain_SamePointsAsTheirFirstJoinsOnly()
    {
        var rng = new Random(5);
        var events = new List<CanonicalEvent>();
        for (var p = 0; p < 6; p++)
        {
            events.Add(Event(0, events.Count, EventType.ProjectStarted, 0, $"project-{p}"));
        }

        for (var day = 1; day < 200; day++)
        {
            // Several hundred joins per project, most of them by people who joined before.
            for (var i = 0; i < 25; i++)
            {
                var project = rng.Next(6);
                events.Add(Event(day, events.Count, EventType.ProjectMember, (project * 4 + rng.Next(1 + (day / 20))) % 30, $"project-{project}"));
            }

            if (day % 50 == 0)
            {
                events.Add(Event(day, events.Count, EventType.ProjectFailed, 0, $"project-{day / 50}"));
            }
        }

        var firstJoins = events.Where(e => e.Type != EventType.ProjectMember)
            .Concat(events.Where(e => e.Type == EventType.ProjectMember).DistinctBy(e => (e.Person, e.Subject)))
            .OrderBy(e => e.Time).ToList();
        var from = First.AddDays(1);
        var to = First.AddDays(199);

        var repeated = Engine.Compute(events, Directory(), CourseCatalog.Empty, from, to).ToList();
        var once = Engine.Compute(firstJoins, Directory(), CourseCatalog.Empty, from, to).ToList();

        Assert.True(events.Count - firstJoins.Count > 3000, "the stream repeats too few joins to thin the members");
        Assert.Equal(once, repeated);
        Assert.Contains(repeated, p => p.Kpi == "cross_department_projects" && p.Department is null && p.Value > 0);
        Assert.Contains(repeated, p => p.Kpi == "failed_projects" && p.Department == "B" && p.Value > 0);
    }

    [Fact]
    public void Compute_ThousandsOfEventsOfMovers_LeaversJoinersAndUnknownKeys_ResolvedAsTheirRecordOnTheEventDay()
    {
        // Resolution runs ahead of the events in blocks; people with several records, gaps, leavers, joiners, an
        // alias and unknown keys are resolved on each event's own day, across block and day boundaries.
        var records = new List<DirectoryRecord>();
        for (var i = 0; i < 40; i++)
        {
            var home = i < 20 ? "A" : "B";
            switch (i)
            {
                case >= 5 and <= 9:
                    records.Add(new DirectoryRecord($"p{i}", "A", Level.Manager, First.AddDays(-100), First.AddDays(10)));
                    records.Add(new DirectoryRecord($"p{i}", "B", Level.Frontline, First.AddDays(10), null));
                    break;
                case 10 or 11:
                    records.Add(new DirectoryRecord($"p{i}", home, Level.Specialist, First.AddDays(-100), First.AddDays(15)));
                    break;
                case 12:
                    records.Add(new DirectoryRecord($"p{i}", home, Level.Specialist, First.AddDays(12), null));
                    break;
                case 13:
                    records.Add(new DirectoryRecord($"p{i}", home, Level.Executive, First.AddDays(-100), First.AddDays(5)));
                    records.Add(new DirectoryRecord($"p{i}", home, Level.Executive, First.AddDays(20), null));
                    break;
                default:
                    records.Add(new DirectoryRecord($"p{i}", home, Level.Frontline, First.AddDays(-100), null));
                    break;
            }
        }

        var directory = OrgDirectory.Build(records, [new IdentityLink("alias-3", "p3")]);
        string? DepartmentOn(string key, int day)
        {
            var person = key == "alias-3" ? "p3" : key;
            var date = First.AddDays(day);
            return records.SingleOrDefault(r => r.Person == person && r.From <= date && (r.To is null || date < r.To))?.Department;
        }

        var rng = new Random(3);
        var events = new List<(int Day, CanonicalEvent Event)>();
        for (var day = 0; day < 30; day++)
        {
            for (var i = 0; i < 120; i++)
            {
                var r = rng.Next(46);
                var key = r < 40 ? $"p{r}" : r < 44 ? $"x{r}" : "alias-3";
                var type = i % 6 == 0 ? EventType.ProposalSubmitted : EventType.AiUsed;
                events.Add((day, new CanonicalEvent("s", events.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), type,
                    new DateTimeOffset(First.AddDays(day).ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero).AddSeconds(i), key,
                    type == EventType.AiUsed ? null : $"proposal-{events.Count}", false, "{}")));
            }
        }

        var stats = new ComputeStats();
        var points = Engine.Compute(events.Select(e => e.Event), directory, CourseCatalog.Empty, First, First.AddDays(29), stats).ToList();

        for (var day = 0; day < 30; day++)
        {
            foreach (var department in new[] { "A", "B" })
            {
                var ofDay = events.Where(e => e.Day == day && DepartmentOn(e.Event.Person, day) == department).Select(e => e.Event).ToList();
                var users = ofDay.Where(e => e.Type == EventType.AiUsed).Select(e => e.Person == "alias-3" ? "p3" : e.Person).Distinct().Count();
                var proposals = ofDay.Count(e => e.Type == EventType.ProposalSubmitted);

                Assert.Equal(users, Value(points, First.AddDays(day), department, "active_ai_users", "1d"));
                Assert.Equal(proposals, Value(points, First.AddDays(day), department, "proposals", "1d"));
            }
        }

        var unresolved = events.Count(e => DepartmentOn(e.Event.Person, e.Day) is null);
        Assert.Equal(events.Count - unresolved, stats.BySource["s"].Resolved);
        Assert.Equal(unresolved, stats.BySource["s"].Unresolved);
        Assert.True(unresolved > 300, $"only {unresolved} unresolved events");
    }

    private static double Value(List<KpiPoint> points, DateOnly date, string? department, string kpi, string? window = null) =>
        points.Single(p => p.Date == date && p.Department == department && p.Kpi == kpi && (window is null || p.Window == window)
            && p.Level is null && p.Tool is null).Value;
}
