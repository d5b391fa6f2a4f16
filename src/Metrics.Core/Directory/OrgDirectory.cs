namespace Metrics.Core.Directory;

/// <summary>
/// The effective-dated directory, indexed for the KPI engine: people and departments get dense integer ids so
/// per-day passes over a large company work on arrays rather than strings. Its size follows the company, not history.
/// </summary>
public sealed class OrgDirectory
{
    private readonly Dictionary<string, int> _personIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _departmentIndex = new(StringComparer.Ordinal);
    private readonly List<string> _departments = [];
    private readonly List<Entry[]> _records = [];

    // Each person's newest record, in one flat array: most people have one record, and the engine asks for a person's
    // record once per event and once per person and day, so the answer is usually one read here instead of two
    // dependent reads (the list's slot, then the person's own array somewhere on the heap).
    private Entry[] _newest = [];
    private readonly Dictionary<string, int> _aliases = new(StringComparer.Ordinal);

    private OrgDirectory()
    {
    }

    private readonly record struct Entry(int From, int To, int Department, Level Level);

    public int PersonCount => _records.Count;

    public IReadOnlyList<string> Departments => _departments;

    /// <summary>Builds the directory. Records of one person must not overlap; <see cref="Validate"/> finds those that do.</summary>
    public static OrgDirectory Build(IEnumerable<DirectoryRecord> records, IEnumerable<IdentityLink>? identities = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var directory = new OrgDirectory();
        var byPerson = new Dictionary<int, List<Entry>>();
        foreach (var r in records)
        {
            if (!directory._personIndex.TryGetValue(r.Person, out var p))
            {
                p = directory._personIndex.Count;
                directory._personIndex[r.Person] = p;
                byPerson[p] = [];
            }

            if (!directory._departmentIndex.TryGetValue(r.Department, out var d))
            {
                d = directory._departments.Count;
                directory._departmentIndex[r.Department] = d;
                directory._departments.Add(r.Department);
            }

            byPerson[p].Add(new Entry(r.From.DayNumber, r.To?.DayNumber ?? int.MaxValue, d, r.Level));
        }

        for (var p = 0; p < directory._personIndex.Count; p++)
        {
            var list = byPerson[p];
            list.Sort((a, b) => a.From.CompareTo(b.From));
            for (var i = 1; i < list.Count; i++)
            {
                if (list[i].From < list[i - 1].To)
                {
                    throw new ArgumentException("directory records of one person overlap; validate them first", nameof(records));
                }
            }

            directory._records.Add([.. list]);
        }

        directory._newest = directory._records.Select(r => r.Length > 0 ? r[^1] : new Entry(int.MaxValue, int.MaxValue, -1, default)).ToArray();

        // Identities resolve to the person key's id; a directory key always wins over an alias of the same text.
        foreach (var link in identities ?? [])
        {
            if (!directory._personIndex.ContainsKey(link.Identity)
                && directory._personIndex.TryGetValue(link.Person, out var target))
            {
                directory._aliases[link.Identity] = target;
            }
        }

        return directory;
    }

    /// <summary>Checks a candidate record (its department name, and against the accepted records of the same person); returns the reason it is rejected, or null.</summary>
    public static string? Validate(DirectoryRecord candidate, IEnumerable<DirectoryRecord> acceptedOfSamePerson)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (DepartmentName.Check(candidate.Department) is { } departmentError)
        {
            return departmentError;
        }

        foreach (var other in acceptedOfSamePerson)
        {
            if (candidate.Overlaps(other))
            {
                return $"overlaps the record of {candidate.Person} from {other.From:yyyy-MM-dd}" +
                    (other.To is null ? " (open)" : $" to {other.To:yyyy-MM-dd}");
            }
        }

        return null;
    }

    /// <summary>The dense id of a person key or linked identity, or -1 when the directory has never heard of it.</summary>
    public int PersonId(string personKey) =>
        _personIndex.TryGetValue(personKey, out var p) ? p : _aliases.TryGetValue(personKey, out p) ? p : -1;

    public int DepartmentId(string department) => _departmentIndex.TryGetValue(department, out var d) ? d : -1;

    /// <summary>The department and level of a person on a day (<see cref="DateOnly.DayNumber"/>), if a record covers it.</summary>
    public bool TryGet(int person, int day, out int department, out Level level)
    {
        var newest = _newest[person];
        if (newest.From <= day)
        {
            department = newest.Department;
            level = newest.Level;
            return day < newest.To || NotCovered(out department, out level);
        }

        var entries = _records[person];
        // A person has few records; a linear scan from the newest beats a binary search at this size.
        for (var i = entries.Length - 2; i >= 0; i--)
        {
            var e = entries[i];
            if (e.From <= day)
            {
                if (day < e.To)
                {
                    department = e.Department;
                    level = e.Level;
                    return true;
                }

                break;
            }
        }

        return NotCovered(out department, out level);
    }

    private static bool NotCovered(out int department, out Level level)
    {
        department = -1;
        level = default;
        return false;
    }

    /// <summary>The earliest day any record starts, or null for an empty directory.</summary>
    public DateOnly? EarliestDay =>
        _records.Count == 0 ? null : DateOnly.FromDayNumber(_records.Min(r => r.Length == 0 ? int.MaxValue : r[0].From));
}
