namespace Metrics.Core.Kpis;

/// <summary>
/// The proposal submissions of the last <see cref="KpiEngine.HistoryDays"/> days, oldest first, for the adoption
/// cohort: one struct per submission in a ring, and per proposal only the newest submission, each submission pointing
/// to the previous one of the same proposal. At 50 M events a year about two million submissions are in the window;
/// as an object each (plus a list per proposal and the event's own subject string) they were the largest part of
/// the engine's heap and of the collector's work.
/// </summary>
internal sealed class ProposalWindow
{
    private const int NotAdopted = int.MinValue;

    private Submission[] _ring = new Submission[1024];

    // Submissions are numbered from 0 in arrival order; the ring holds numbers _oldest.._next - 1 at number & mask.
    private long _oldest;
    private long _next;

    // A proposal's id while it has a submission in the window; freed ids are reused, so the tables follow the window.
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];
    private readonly List<long> _newest = [];
    private readonly Stack<int> _free = new();

    private struct Submission
    {
        public int Day;
        public int Department;
        public int Proposal;
        public int AdoptedDay;
        public long Previous;
    }

    public int Count => (int)(_next - _oldest);

    public void Add(int day, int department, string proposal)
    {
        if (Count == _ring.Length)
        {
            Grow();
        }

        if (!_ids.TryGetValue(proposal, out var id))
        {
            id = NewId(proposal);
        }

        ref var s = ref _ring[_next & (_ring.Length - 1)];
        s.Day = day;
        s.Department = department;
        s.Proposal = id;
        s.AdoptedDay = NotAdopted;
        s.Previous = _newest[id];
        _newest[id] = _next;
        _next++;
    }

    /// <summary>Marks every submission of <paramref name="proposal"/> in the window that has no adoption yet as adopted on <paramref name="day"/>.</summary>
    public void Adopt(string proposal, int day)
    {
        if (!_ids.TryGetValue(proposal, out var id))
        {
            return;
        }

        // Newest first: an earlier adoption marked every submission that was in the window then, all older than the
        // first one found marked, so the walk stops there.
        for (var n = _newest[id]; n >= _oldest; n = _ring[n & (_ring.Length - 1)].Previous)
        {
            ref var s = ref _ring[n & (_ring.Length - 1)];
            if (s.AdoptedDay != NotAdopted)
            {
                break;
            }

            s.AdoptedDay = day;
        }
    }

    /// <summary>Drops the submissions of days before <paramref name="firstDay"/>.</summary>
    public void Prune(int firstDay)
    {
        while (_oldest < _next)
        {
            ref var s = ref _ring[_oldest & (_ring.Length - 1)];
            if (s.Day >= firstDay)
            {
                return;
            }

            if (_newest[s.Proposal] == _oldest)
            {
                // Its last submission leaves the window: the proposal is forgotten, as its list was before.
                _ids.Remove(_names[s.Proposal]);
                _free.Push(s.Proposal);
            }

            _oldest++;
        }
    }

    /// <summary>
    /// Adds, per department (the submitter's on the day of the submission), the submissions of days up to
    /// <paramref name="lastDay"/> and those of them adopted within <paramref name="adoptionDays"/> days.
    /// </summary>
    public void CountUpTo(int lastDay, int adoptionDays, int[] proposals, int[] adopted)
    {
        for (var n = _oldest; n < _next; n++)
        {
            ref var s = ref _ring[n & (_ring.Length - 1)];
            if (s.Day > lastDay)
            {
                return;
            }

            proposals[s.Department]++;
            if (s.AdoptedDay != NotAdopted && s.AdoptedDay - s.Day <= adoptionDays)
            {
                adopted[s.Department]++;
            }
        }
    }

    private int NewId(string proposal)
    {
        int id;
        if (_free.Count > 0)
        {
            id = _free.Pop();
            _names[id] = proposal;
        }
        else
        {
            id = _names.Count;
            _names.Add(proposal);
            _newest.Add(-1);
        }

        _newest[id] = -1;
        _ids[proposal] = id;
        return id;
    }

    private void Grow()
    {
        var larger = new Submission[_ring.Length * 2];
        for (var n = _oldest; n < _next; n++)
        {
            larger[n & (larger.Length - 1)] = _ring[n & (_ring.Length - 1)];
        }

        _ring = larger;
    }
}
