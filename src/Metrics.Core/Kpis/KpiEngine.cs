using Metrics.Core.Directory;
using Metrics.Core.Events;

namespace Metrics.Core.Kpis;

/// <summary>Counts of what one computation read, for coverage and progress reporting.</summary>
public sealed class ComputeStats
{
    private readonly Dictionary<string, SourceCoverage> _bySource = new(StringComparer.Ordinal);

    public long EventsRead { get; private set; }

    public long PointsEmitted { get; internal set; }

    public int DaysComputed { get; internal set; }

    /// <summary>Resolved and unresolved events per source (events whose person has no record covering their day).</summary>
    public IReadOnlyDictionary<string, SourceCoverage> BySource => _bySource;

    /// <summary>
    /// How many people of the directory each source covers: on the range's last day, the people in scope with a
    /// resolved event of the source in the <see cref="PeopleCoverage.Days"/> days ending on it. Set once the whole range
    /// has been computed; only sources that sent a resolved event appear (the directory itself sends none).
    /// </summary>
    public PeopleCoverage? People { get; internal set; }

    /// <summary>The same per day of the computed range (by the event's day): bounded by days times sources.</summary>
    public IReadOnlyDictionary<DateOnly, Dictionary<string, SourceCoverage>> DailyBySource => _daily;

    private readonly Dictionary<DateOnly, Dictionary<string, SourceCoverage>> _daily = [];

    /// <summary>
    /// The counters of the day being read, one entry per source seen on it. Events stream in time order and a day has a
    /// handful of sources, so comparing a few short strings replaces three dictionary lookups (two of them hashing the
    /// source) per event, which was a tenth of the engine's per-event time.
    /// </summary>
    private readonly List<(string Source, SourceCoverage Total, SourceCoverage? Daily)> _today = [];

    private int _todayNumber = int.MinValue;

    private bool _todayInRange;

    /// <summary>Counts one event; returns the source's counters over the whole read.</summary>
    internal SourceCoverage Count(string source, bool resolved, int day, bool inRange)
    {
        EventsRead++;
        if (day != _todayNumber || inRange != _todayInRange)
        {
            _today.Clear();
            _todayNumber = day;
            _todayInRange = inRange;
        }

        var entry = Today(source, day, inRange);
        Add(entry.Total, resolved);
        if (entry.Daily is { } daily)
        {
            Add(daily, resolved);
        }

        return entry.Total;
    }

    private (string Source, SourceCoverage Total, SourceCoverage? Daily) Today(string source, int day, bool inRange)
    {
        foreach (var entry in _today)
        {
            if (string.Equals(entry.Source, source, StringComparison.Ordinal))
            {
                return entry;
            }
        }

        var added = (source, Coverage(_bySource, source), inRange ? Coverage(DailyOf(day), source) : null);
        _today.Add(added);
        return added;
    }

    private Dictionary<string, SourceCoverage> DailyOf(int day)
    {
        var date = DateOnly.FromDayNumber(day);
        if (!_daily.TryGetValue(date, out var bySource))
        {
            bySource = new Dictionary<string, SourceCoverage>(StringComparer.Ordinal);
            _daily[date] = bySource;
        }

        return bySource;
    }

    private static SourceCoverage Coverage(Dictionary<string, SourceCoverage> into, string source)
    {
        if (!into.TryGetValue(source, out var c))
        {
            c = new SourceCoverage();
            into[source] = c;
        }

        return c;
    }

    private static void Add(SourceCoverage coverage, bool resolved)
    {
        if (resolved)
        {
            coverage.Resolved++;
        }
        else
        {
            coverage.Unresolved++;
        }
    }
}

/// <summary>People of the directory covered by each source on <see cref="Date"/>, against the directory's headcount.</summary>
public sealed record PeopleCoverage(DateOnly Date, int Headcount, IReadOnlyDictionary<string, int> BySource)
{
    /// <summary>The window, as the data-health board's other per-source counts.</summary>
    public const int Days = 28;
}

public sealed class SourceCoverage
{
    public long Resolved { get; internal set; }

    public long Unresolved { get; internal set; }

    /// <summary>Per person of the directory, the last day of a resolved event of the source (for <see cref="PeopleCoverage"/>).</summary>
    internal int[]? LastDayByPerson { get; set; }
}

/// <summary>
/// Computes every KPI of the contract for each day of a range, streaming: events arrive ordered by time and only
/// bounded state is kept (last qualifying day per person, 28 days of per-department event counts, 180 days of
/// proposals, completed catalog courses per person, and the projects). Memory follows the company's size, never
/// the length of history.
/// </summary>
public sealed class KpiEngine
{
    /// <summary>Events older than this many days before the range only matter when their type needs full history.</summary>
    public const int HistoryDays = 180;

    private readonly OrgCalendar _calendar;
    private readonly int _minimumGroupSize;

    public KpiEngine(KpiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MinimumGroupSize < 2)
        {
            throw new ArgumentException($"Kpi:MinimumGroupSize must be at least 2, was {options.MinimumGroupSize}.", nameof(options));
        }

        _calendar = new OrgCalendar(options.ResolveTimeZone());
        _minimumGroupSize = options.MinimumGroupSize;
    }

    public OrgCalendar Calendar => _calendar;

    /// <summary>
    /// What a journal must stream to compute <paramref name="from"/>..<paramref name="to"/>: every event before
    /// <c>End</c>, and before <c>FullHistoryBefore</c> only those whose type needs full history.
    /// </summary>
    public (DateTimeOffset FullHistoryBefore, DateTimeOffset End) StreamBounds(DateOnly from, DateOnly to) =>
        (_calendar.StartOf(from.AddDays(-HistoryDays)), _calendar.StartOf(to.AddDays(1)));

    /// <summary>
    /// Yields the KPI points of every day in <paramref name="from"/>..<paramref name="to"/>, day by day, as the
    /// time-ordered <paramref name="events"/> are consumed. Events must be effective (deduplicated, retractions applied).
    /// </summary>
    public IEnumerable<KpiPoint> Compute(
        IEnumerable<CanonicalEvent> events,
        OrgDirectory directory,
        CourseCatalog catalog,
        DateOnly from,
        DateOnly to,
        ComputeStats? stats = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(catalog);
        if (to < from)
        {
            throw new ArgumentException($"the range ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd})", nameof(to));
        }

        return new Run(this, directory, catalog, stats ?? new ComputeStats()).Execute(events, from.DayNumber, to.DayNumber);
    }

    private sealed class Project
    {
        public int? Started;
        public int? Ended;
        public int? Failed;
        public readonly List<int> RetrospectiveDays = [];

        /// <summary>
        /// (person, day) of each membership event, person in the high half: 8 bytes a membership instead of a
        /// dictionary entry (about 3.6 M memberships over 5,000 projects at 50 M events a year). A person who joins
        /// again adds a pair; the earliest counts, so the pairs are sorted and thinned to one per person whenever they
        /// have doubled since the last time, which bounds them by twice the members.
        /// </summary>
        public readonly List<long> Members = [];

        private int _thinnedCount;

        public void Join(int person, int day)
        {
            Members.Add(((long)person << 32) | (uint)day);
            if (Members.Count >= 2 * Math.Max(_thinnedCount, 64))
            {
                Members.Sort();
                var kept = 0;
                for (var i = 0; i < Members.Count; i++)
                {
                    if (kept == 0 || Members[i] >> 32 != Members[kept - 1] >> 32)
                    {
                        Members[kept++] = Members[i];
                    }
                }

                Members.RemoveRange(kept, Members.Count - kept);
                _thinnedCount = kept;
            }
        }
    }

    /// <summary>One count per <see cref="Level"/>, copied with the struct that holds it.</summary>
    [System.Runtime.CompilerServices.InlineArray(4)]
    private struct PerLevel
    {
        private int _first;
    }

    /// <summary>One count per <see cref="AiTools"/> bucket.</summary>
    [System.Runtime.CompilerServices.InlineArray(AiTools.Count)]
    private struct PerTool
    {
        private int _first;
    }

    /// <summary>Everything a group (org, one department, or the merged small ones) needs for its points on one day.</summary>
    private struct GroupTotals
    {
        public int Headcount;
        public int Active1;
        public int Active7;
        public int Active28;
        public int Proposers28;
        public int TrainingEligible;
        public int TrainingComplete;
        public PerLevel EligibleByLevel;
        public PerLevel CompleteByLevel;
        public PerTool Tool7;
        public PerTool Tool28;
        public int ActiveProjects;
        public int CrossProjects;
        public int FailedProjects;
        public int RetrospectedProjects;
        public int CohortProposals;
        public int CohortAdopted;
    }

    /// <summary>An event read ahead, its day in the org zone, and its person's id, department and level that day (department -1: unresolved).</summary>
    private struct Ahead
    {
        public CanonicalEvent Event;
        public int Day;
        public int Person;
        public int Department;
        public Level Level;
    }

    private sealed class Run
    {
        private const int Ring = 28;
        private static readonly int CounterCount = Enum.GetValues<KpiCounter>().Length;

        private readonly KpiEngine _engine;
        private readonly OrgDirectory _directory;
        private readonly CourseCatalog _catalog;
        private readonly ComputeStats _stats;
        private readonly int _departments;
        private readonly int[] _lastAiDay;
        // Per person, AiTools.Count days in a row: the last day of ai.used per tool bucket.
        private readonly int[] _lastToolDay;
        // Most ai.used events of a source carry the same few attribute texts: their tool bucket is looked up, not parsed.
        private readonly Dictionary<string, int> _toolByAttributes = new(StringComparer.Ordinal);
        private GroupTotals _orgTotals;
        private readonly int[] _lastProposalDay;
        // One flat bit set, person after person: the daily pass over everyone reads it sequentially instead of chasing
        // a small array per person scattered over the heap.
        private readonly ulong[] _completedCourses;
        private readonly int _courseWords;

        // Arrays, not IReadOnlyList: the daily pass asks once per person, and an interface enumerator would allocate each time.
        private readonly int[][] _requiredByLevel;
        private readonly int[] _ring;
        private readonly Dictionary<string, Project> _projects = new(StringComparer.Ordinal);
        private readonly ProposalWindow _submissions = new();
        private readonly List<string> _adoptionsToday = [];
        private readonly int[] _cohortProposals;
        private readonly int[] _cohortAdopted;
        private readonly int[] _departmentOrder;
        private int _cachedDay;

        // The events read ahead of the one being applied, with their day and person resolved (see Fill).
        private readonly Ahead[] _ahead = new Ahead[256];
        private int _aheadCount;
        private int _from;
        private long _dayStartTicks = long.MaxValue;
        private long _dayEndTicks = long.MinValue;

        public Run(KpiEngine engine, OrgDirectory directory, CourseCatalog catalog, ComputeStats stats)
        {
            _engine = engine;
            _directory = directory;
            _catalog = catalog;
            _stats = stats;
            _departments = directory.Departments.Count;
            _lastAiDay = NewDayArray(directory.PersonCount);
            _lastToolDay = NewDayArray(directory.PersonCount * AiTools.Count);
            _lastProposalDay = NewDayArray(directory.PersonCount);
            _courseWords = (catalog.CourseCount + 63) / 64;
            _requiredByLevel = Levels.All.Select(l => catalog.RequiredFor(l).ToArray()).ToArray();
            _completedCourses = new ulong[(long)directory.PersonCount * _courseWords];
            _ring = new int[CounterCount * Math.Max(1, _departments) * Ring];
            _cohortProposals = new int[_departments];
            _cohortAdopted = new int[_departments];
            _departmentOrder = Enumerable.Range(0, _departments)
                .OrderBy(d => directory.Departments[d], StringComparer.Ordinal)
                .ToArray();
        }

        public IEnumerable<KpiPoint> Execute(IEnumerable<CanonicalEvent> events, int from, int to)
        {
            _from = from;
            using var cursor = events.GetEnumerator();
            var next = 0;
            var has = Fill(cursor);
            var eventDay = has ? _ahead[0].Day : int.MaxValue;
            var day = Math.Min(from, eventDay);
            var ringValidThrough = day - 1;

            for (; day <= to; day++)
            {
                ringValidThrough = AdvanceRing(ringValidThrough, day);
                while (has && eventDay <= day)
                {
                    if (eventDay < day)
                    {
                        throw new InvalidOperationException("events must be streamed in time order");
                    }

                    Apply(in _ahead[next], day);
                    if (++next == _aheadCount)
                    {
                        next = 0;
                        has = Fill(cursor);
                    }

                    eventDay = has ? _ahead[next].Day : int.MaxValue;
                }

                ApplyAdoptions(day);
                PruneSubmissions(day);
                if (day >= from)
                {
                    foreach (var point in EmitDay(day))
                    {
                        _stats.PointsEmitted++;
                        yield return point;
                    }

                    _stats.DaysComputed++;
                }
            }

            _stats.People = CountPeopleCoverage(to);
        }

        /// <summary>
        /// Reads the next events and resolves their people. The directory lookups of a person key (hash, entry, key
        /// text, the person's record) are chains of cache misses in tables of the company's size; done in a loop of
        /// their own for a block of events, the lookups of successive events overlap instead of each waiting for the one
        /// before, as they did inside the per-event work.
        /// </summary>
        private bool Fill(IEnumerator<CanonicalEvent> cursor)
        {
            var count = 0;
            while (count < _ahead.Length && cursor.MoveNext())
            {
                var e = cursor.Current;
                _ahead[count++] = new Ahead { Event = e, Day = DayOf(e) };
            }

            for (var i = 0; i < count; i++)
            {
                _ahead[i].Person = _directory.PersonId(_ahead[i].Event.Person);
            }

            for (var i = 0; i < count; i++)
            {
                ref var a = ref _ahead[i];
                if (a.Person < 0 || !_directory.TryGet(a.Person, a.Day, out a.Department, out a.Level))
                {
                    a.Department = -1;
                }
            }

            _aheadCount = count;
            return count > 0;
        }

        /// <summary>
        /// The event's day in the org zone. Events arrive in time order, so most fall into the same day as the one
        /// before: a check against that day's UTC bounds spares a time zone conversion per event.
        /// </summary>
        private int DayOf(CanonicalEvent e)
        {
            var ticks = e.Time.UtcTicks;
            if (ticks >= _dayStartTicks && ticks < _dayEndTicks)
            {
                return _cachedDay;
            }

            var day = _engine._calendar.DayOf(e.Time);
            _cachedDay = day.DayNumber;
            _dayStartTicks = _engine._calendar.StartOf(day).UtcTicks;
            _dayEndTicks = _engine._calendar.StartOf(day.AddDays(1)).UtcTicks;
            return _cachedDay;
        }

        private static int[] NewDayArray(int length)
        {
            var a = new int[length];
            Array.Fill(a, int.MinValue);
            return a;
        }

        private int AdvanceRing(int validThrough, int day)
        {
            // Slots of days that fell out of the 28-day ring are reused for the new days: zero them first.
            for (var d = Math.Max(validThrough + 1, day - Ring + 1); d <= day; d++)
            {
                var slot = d % Ring;
                for (var i = slot; i < _ring.Length; i += Ring)
                {
                    _ring[i] = 0;
                }
            }

            return day;
        }

        private void Count(KpiCounter counter, int department, int day) =>
            _ring[((((int)counter) * _departments) + department) * Ring + (day % Ring)]++;

        private int Sum(KpiCounter counter, int department, int day, int window)
        {
            var baseIndex = ((((int)counter) * _departments) + department) * Ring;
            var total = 0;
            for (var j = 0; j < window; j++)
            {
                total += _ring[baseIndex + ((day - j) % Ring)];
            }

            return total;
        }

        private void Apply(in Ahead a, int day)
        {
            var e = a.Event;
            var person = a.Person;
            var department = a.Department;
            var level = a.Level;
            var resolved = department >= 0;
            var coverage = _stats.Count(e.Source, resolved, day, day >= _from);
            if (!resolved)
            {
                return;
            }

            // For PeopleCoverage: the source's counters are at hand already, so this costs no lookup.
            var lastDays = coverage.LastDayByPerson;
            if (lastDays is null || lastDays.Length != _directory.PersonCount)
            {
                lastDays = NewDayArray(_directory.PersonCount);
                coverage.LastDayByPerson = lastDays;
            }

            lastDays[person] = day;

            var frontline = level == Level.Frontline;
            switch (e.Type)
            {
                case EventType.AiUsed:
                    _lastAiDay[person] = day;
                    _lastToolDay[(person * AiTools.Count) + ToolOf(e)] = day;
                    break;
                case EventType.TrainingCompleted:
                    Count(KpiCounter.TrainingCompletions, department, day);
                    MarkCompleted(person, e.Subject!);
                    break;
                case EventType.ProposalSubmitted:
                    Count(KpiCounter.Proposals, department, day);
                    if (frontline)
                    {
                        Count(KpiCounter.BottomUpProposals, department, day);
                    }

                    _lastProposalDay[person] = day;
                    _submissions.Add(day, department, e.Subject!);
                    break;
                case EventType.ProposalAdopted:
                    _adoptionsToday.Add(e.Subject!);
                    break;
                case EventType.DecisionRecorded:
                    Count(KpiCounter.Decisions, department, day);
                    if (e.AiAssisted)
                    {
                        Count(KpiCounter.AiDecisions, department, day);
                    }

                    break;
                case EventType.PrototypeCreated:
                    Count(KpiCounter.Prototypes, department, day);
                    if (frontline)
                    {
                        Count(KpiCounter.FrontlinePrototypes, department, day);
                    }

                    break;
                case EventType.KnowledgeShared:
                    Count(KpiCounter.KnowledgeShares, department, day);
                    break;
                case EventType.ProjectStarted:
                    GetProject(e.Subject!).Started ??= day;
                    break;
                case EventType.ProjectCompleted:
                    GetProject(e.Subject!).Ended ??= day;
                    break;
                case EventType.ProjectFailed:
                    var failed = GetProject(e.Subject!);
                    failed.Ended ??= day;
                    failed.Failed ??= day;
                    break;
                case EventType.ProjectRetrospective:
                    GetProject(e.Subject!).RetrospectiveDays.Add(day);
                    break;
                case EventType.ProjectMember:
                    GetProject(e.Subject!).Join(person, day);
                    break;
                case EventType.TrainingEnrolled:
                case EventType.EventRetracted:
                default:
                    break;
            }
        }

        private PeopleCoverage CountPeopleCoverage(int day)
        {
            var headcount = 0;
            var covered = _stats.BySource.Where(kv => kv.Value.LastDayByPerson is not null)
                .Select(kv => (Source: kv.Key, Days: kv.Value.LastDayByPerson!))
                .ToList();
            var bySource = covered.ToDictionary(c => c.Source, _ => 0, StringComparer.Ordinal);
            for (var p = 0; p < _directory.PersonCount; p++)
            {
                if (!_directory.TryGet(p, day, out _, out _))
                {
                    continue;
                }

                headcount++;
                foreach (var (source, days) in covered)
                {
                    if (days[p] > day - PeopleCoverage.Days)
                    {
                        bySource[source]++;
                    }
                }
            }

            return new PeopleCoverage(DateOnly.FromDayNumber(day), headcount, bySource);
        }

        /// <summary>
        /// The tool bucket of an <c>ai.used</c>, from its attributes: the one KPI input that lives there, so a stream
        /// that leaves attributes out to save work must still carry them for <c>ai.used</c>.
        /// </summary>
        private int ToolOf(CanonicalEvent e)
        {
            if (_toolByAttributes.TryGetValue(e.AttributesJson, out var tool))
            {
                return tool;
            }

            tool = AiTools.FromAttributes(e.AttributesJson);
            if (_toolByAttributes.Count < 4096)
            {
                _toolByAttributes[e.AttributesJson] = tool;
            }

            return tool;
        }

        private Project GetProject(string id)
        {
            if (!_projects.TryGetValue(id, out var project))
            {
                project = new Project();
                _projects[id] = project;
            }

            return project;
        }

        private void MarkCompleted(int person, string course)
        {
            var id = _catalog.CourseId(course);
            if (id < 0)
            {
                return;
            }

            _completedCourses[(person * _courseWords) + (id >> 6)] |= 1UL << (id & 63);
        }

        private bool CompletedAll(int person, int[] required)
        {
            var first = person * _courseWords;
            foreach (var id in required)
            {
                if ((_completedCourses[first + (id >> 6)] & (1UL << (id & 63))) == 0)
                {
                    return false;
                }
            }

            return true;
        }

        private void ApplyAdoptions(int day)
        {
            // Applied after the whole day is read, so a same-day submission that streams after its adoption still matches.
            foreach (var proposal in _adoptionsToday)
            {
                _submissions.Adopt(proposal, day);
            }

            _adoptionsToday.Clear();
        }

        private void PruneSubmissions(int day) => _submissions.Prune(day - (HistoryDays - 1));

        private IEnumerable<KpiPoint> EmitDay(int day)
        {
            var perDepartment = new GroupTotals[_departments];
            var org = default(GroupTotals);

            for (var p = 0; p < _directory.PersonCount; p++)
            {
                if (!_directory.TryGet(p, day, out var department, out var level))
                {
                    continue;
                }

                ref var g = ref perDepartment[department];
                g.Headcount++;
                var ai = _lastAiDay[p];
                if (ai >= day)
                {
                    g.Active1++;
                }

                if (ai > day - 7)
                {
                    g.Active7++;
                }

                if (ai > day - 28)
                {
                    g.Active28++;
                    CountTools(ref g, p, day);
                }

                if (_lastProposalDay[p] > day - 28)
                {
                    g.Proposers28++;
                }

                var required = _requiredByLevel[(int)level];
                if (required.Length > 0)
                {
                    g.TrainingEligible++;
                    g.EligibleByLevel[(int)level]++;
                    if (CompletedAll(p, required))
                    {
                        g.TrainingComplete++;
                        g.CompleteByLevel[(int)level]++;
                    }
                }
            }

            var small = new bool[_departments];
            var merged = default(GroupTotals);
            for (var d = 0; d < _departments; d++)
            {
                small[d] = perDepartment[d].Headcount < _engine._minimumGroupSize;
                Add(ref org, perDepartment[d]);
                if (small[d])
                {
                    Add(ref merged, perDepartment[d]);
                }
            }

            CountProjects(day, perDepartment, small, ref org, ref merged);
            CountCohort(day, perDepartment, small, ref org, ref merged);
            _orgTotals = org;

            var date = DateOnly.FromDayNumber(day);
            var all = new bool[_departments];
            Array.Fill(all, true);
            foreach (var point in GroupPoints(date, null, org, all))
            {
                yield return point;
            }

            foreach (var d in _departmentOrder)
            {
                if (!small[d])
                {
                    var only = new bool[_departments];
                    only[d] = true;
                    foreach (var point in GroupPoints(date, _directory.Departments[d], perDepartment[d], only))
                    {
                        yield return point;
                    }
                }
            }

            if (merged.Headcount >= _engine._minimumGroupSize)
            {
                foreach (var point in GroupPoints(date, KpiCatalog.SmallGroups, merged, small))
                {
                    yield return point;
                }
            }
        }

        private void CountTools(ref GroupTotals g, int person, int day)
        {
            var first = person * AiTools.Count;
            for (var t = 0; t < AiTools.Count; t++)
            {
                var last = _lastToolDay[first + t];
                if (last > day - 28)
                {
                    g.Tool28[t]++;
                    if (last > day - 7)
                    {
                        g.Tool7[t]++;
                    }
                }
            }
        }

        private static void Add(ref GroupTotals into, GroupTotals g)
        {
            for (var t = 0; t < AiTools.Count; t++)
            {
                into.Tool7[t] += g.Tool7[t];
                into.Tool28[t] += g.Tool28[t];
            }

            into.Headcount += g.Headcount;
            into.Active1 += g.Active1;
            into.Active7 += g.Active7;
            into.Active28 += g.Active28;
            into.Proposers28 += g.Proposers28;
            into.TrainingEligible += g.TrainingEligible;
            into.TrainingComplete += g.TrainingComplete;
            for (var l = 0; l < 4; l++)
            {
                into.EligibleByLevel[l] += g.EligibleByLevel[l];
                into.CompleteByLevel[l] += g.CompleteByLevel[l];
            }
        }

        private void CountProjects(int day, GroupTotals[] perDepartment, bool[] small, ref GroupTotals org, ref GroupTotals merged)
        {
            var seen = new bool[_departments];
            var spanned = new List<int>();
            foreach (var project in _projects.Values)
            {
                if (project.Started is { } started && started <= day && (project.Ended is null || project.Ended >= day))
                {
                    // Real departments of the members in scope today, before small groups are merged.
                    CollectDepartments(project, day, day, seen, spanned);
                    var cross = spanned.Count >= 2;
                    org.ActiveProjects++;
                    org.CrossProjects += cross ? 1 : 0;
                    var inMerged = false;
                    foreach (var d in spanned)
                    {
                        perDepartment[d].ActiveProjects++;
                        perDepartment[d].CrossProjects += cross ? 1 : 0;
                        inMerged |= small[d];
                    }

                    if (inMerged)
                    {
                        merged.ActiveProjects++;
                        merged.CrossProjects += cross ? 1 : 0;
                    }
                }

                if (project.Failed is { } failedDay && failedDay <= day && failedDay > day - 90)
                {
                    var lastRetrospectiveDay = Math.Min(failedDay + 30, day);
                    var retrospected = project.RetrospectiveDays.Exists(r => r >= failedDay && r <= lastRetrospectiveDay) ? 1 : 0;
                    CollectDepartments(project, failedDay, failedDay, seen, spanned);
                    org.FailedProjects++;
                    org.RetrospectedProjects += retrospected;
                    var inMerged = false;
                    foreach (var d in spanned)
                    {
                        perDepartment[d].FailedProjects++;
                        perDepartment[d].RetrospectedProjects += retrospected;
                        inMerged |= small[d];
                    }

                    if (inMerged)
                    {
                        merged.FailedProjects++;
                        merged.RetrospectedProjects += retrospected;
                    }
                }
            }
        }

        /// <summary>Departments, on <paramref name="onDay"/>, of the members who joined on or before <paramref name="joinedBy"/>.</summary>
        private void CollectDepartments(Project project, int joinedBy, int onDay, bool[] seen, List<int> result)
        {
            foreach (var d in result)
            {
                seen[d] = false;
            }

            result.Clear();
            // A person listed twice (joined again) has one department on the day, so seen[] counts them once.
            foreach (var member in project.Members)
            {
                var person = (int)(member >> 32);
                var joined = (int)member;
                if (joined <= joinedBy && _directory.TryGet(person, onDay, out var d, out _) && !seen[d])
                {
                    seen[d] = true;
                    result.Add(d);
                }
            }
        }

        private void CountCohort(int day, GroupTotals[] perDepartment, bool[] small, ref GroupTotals org, ref GroupTotals merged)
        {
            // The window is pruned to the last 180 days, so every submission up to d-90 is in the cohort d-179..d-90.
            Array.Clear(_cohortProposals);
            Array.Clear(_cohortAdopted);
            _submissions.CountUpTo(day - 90, 90, _cohortProposals, _cohortAdopted);
            for (var d = 0; d < _departments; d++)
            {
                perDepartment[d].CohortProposals += _cohortProposals[d];
                perDepartment[d].CohortAdopted += _cohortAdopted[d];
                org.CohortProposals += _cohortProposals[d];
                org.CohortAdopted += _cohortAdopted[d];
                if (small[d])
                {
                    merged.CohortProposals += _cohortProposals[d];
                    merged.CohortAdopted += _cohortAdopted[d];
                }
            }
        }

        private IEnumerable<KpiPoint> GroupPoints(DateOnly date, string? department, GroupTotals g, bool[] members)
        {
            var day = date.DayNumber;
            var inputs = new KpiInputs((counter, n) => SumGroup(counter, members, day, n))
            {
                Headcount = g.Headcount,
                ActiveAiUsers1 = g.Active1,
                ActiveAiUsers7 = g.Active7,
                ActiveAiUsers28 = g.Active28,
                Proposers28 = g.Proposers28,
                TrainingEligible = g.TrainingEligible,
                TrainingComplete = g.TrainingComplete,
                ActiveProjects = g.ActiveProjects,
                CrossDepartmentProjects = g.CrossProjects,
                FailedProjects = g.FailedProjects,
                RetrospectedProjects = g.RetrospectedProjects,
                CohortProposals = g.CohortProposals,
                CohortAdopted = g.CohortAdopted,
            };
            for (var l = 0; l < 4; l++)
            {
                inputs.EligibleByLevel[l] = g.EligibleByLevel[l];
                inputs.CompleteByLevel[l] = g.CompleteByLevel[l];
            }

            for (var t = 0; t < AiTools.Count; t++)
            {
                inputs.ToolUsers7[t] = g.Tool7[t];
                inputs.ToolUsers28[t] = g.Tool28[t];
            }

            foreach (var kpi in KpiCatalog.All)
            {
                foreach (var window in kpi.Windows)
                {
                    if (kpi.Compute(inputs, KpiDefinition.WindowDays(window)) is { } value)
                    {
                        yield return new KpiPoint(date, department, kpi.Name, window, value);
                    }
                }

                if (kpi.ComputeByTool is not null)
                {
                    foreach (var point in ToolPoints(kpi, inputs, date, department))
                    {
                        yield return point;
                    }
                }

                if (kpi.ComputeByLevel is null)
                {
                    continue;
                }

                // The tiered view: a tier's value is written only when that tier alone reaches the minimum group size,
                // so no value ever describes fewer people than a department may.
                foreach (var level in Levels.All)
                {
                    if (kpi.ComputeByLevel(inputs, level) is { } tier && tier.Population >= _engine._minimumGroupSize)
                    {
                        yield return new KpiPoint(date, department, kpi.Name, kpi.Windows[0], tier.Value, level);
                    }
                }
            }
        }

        /// <summary>
        /// One point per tool someone in the org used in the window: every group gets the same tools (a department's 0
        /// is written like any count), and a tool nobody used adds no series.
        /// </summary>
        private IEnumerable<KpiPoint> ToolPoints(KpiDefinition kpi, KpiInputs inputs, DateOnly date, string? department)
        {
            foreach (var window in kpi.Windows)
            {
                var days = KpiDefinition.WindowDays(window);
                for (var t = 0; t < AiTools.Count; t++)
                {
                    var usedInOrg = days == 7 ? _orgTotals.Tool7[t] : _orgTotals.Tool28[t];
                    if (usedInOrg > 0 && kpi.ComputeByTool!(inputs, t, days) is { } value)
                    {
                        yield return new KpiPoint(date, department, kpi.Name, window, value, Tool: AiTools.Name(t));
                    }
                }
            }
        }

        private int SumGroup(KpiCounter counter, bool[] members, int day, int window)
        {
            var total = 0;
            for (var d = 0; d < _departments; d++)
            {
                if (members[d])
                {
                    total += Sum(counter, d, day, window);
                }
            }

            return total;
        }

    }

    /// <summary>knowledge_shares × 100 × 7 / (headcount × days in W): shares per 100 people per week.</summary>
    public static double KnowledgeShareRate(int shares, int headcount, int windowDays) =>
        shares * 100.0 * 7 / ((double)headcount * windowDays);
}
