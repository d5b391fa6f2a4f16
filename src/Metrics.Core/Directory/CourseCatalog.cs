namespace Metrics.Core.Directory;

/// <summary>The required-course catalog: for each level, the courses that level must complete.</summary>
public sealed class CourseCatalog
{
    private readonly Dictionary<string, int> _courseIndex = new(StringComparer.Ordinal);
    private readonly int[][] _requiredByLevel;

    public CourseCatalog(IEnumerable<Course> courses)
    {
        ArgumentNullException.ThrowIfNull(courses);
        var byLevel = Levels.All.Select(_ => new List<int>()).ToArray();
        foreach (var course in courses)
        {
            if (_courseIndex.ContainsKey(course.Id))
            {
                continue;
            }

            var id = _courseIndex.Count;
            _courseIndex[course.Id] = id;
            foreach (var level in course.Levels)
            {
                byLevel[(int)level].Add(id);
            }
        }

        _requiredByLevel = byLevel.Select(l => l.ToArray()).ToArray();
    }

    public static CourseCatalog Empty { get; } = new([]);

    public int CourseCount => _courseIndex.Count;

    /// <summary>The dense id of a catalog course, or -1 for a course no level requires.</summary>
    public int CourseId(string course) => _courseIndex.TryGetValue(course, out var id) ? id : -1;

    public IReadOnlyList<int> RequiredFor(Level level) => _requiredByLevel[(int)level];
}
