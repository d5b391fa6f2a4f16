using Metrics.Core.Directory;

namespace Metrics.Simulator.Generation;

/// <summary>The tiered training catalog: leadership (strategy, ethics), technical staff (models, engineering), frontline (use cases, reading AI output).</summary>
public static class Catalog
{
    public static IReadOnlyList<Course> Courses { get; } =
    [
        new("ai-foundations", [Level.Executive, Level.Manager, Level.Specialist, Level.Frontline]),
        new("ai-strategy-ethics", [Level.Executive, Level.Manager]),
        new("ai-models-engineering", [Level.Specialist]),
        new("ai-use-cases", [Level.Frontline]),
        new("reading-ai-output", [Level.Frontline]),
        new("prompt-craft", []),
    ];

    public const string Elective = "prompt-craft";

    public static IReadOnlyList<string> RequiredFor(Level level) =>
        [.. Courses.Where(c => c.Levels.Contains(level)).Select(c => c.Id)];

    /// <summary>When each tier's training starts, as a fraction of the story: leadership first, the frontline last.</summary>
    public static double WaveStart(Level level) => level switch
    {
        Level.Executive => 0.02,
        Level.Manager => 0.12,
        Level.Specialist => 0.25,
        _ => 0.45,
    };

    public static string Title(string course) => course switch
    {
        "ai-foundations" => "AI Foundations",
        "ai-strategy-ethics" => "AI Strategy and Ethics for Leaders",
        "ai-models-engineering" => "Working with Models: AI Engineering",
        "ai-use-cases" => "AI Use Cases in Your Daily Work",
        "reading-ai-output" => "Reading and Checking AI Output",
        _ => "Prompt Craft",
    };
}

/// <summary>Who adopts AI and when: unevenly across departments, mostly after their tier's training has started.</summary>
public static class Adoption
{
    public static DateOnly?[] Plan(Company company, int seed)
    {
        ArgumentNullException.ThrowIfNull(company);
        var rng = new Rng(seed, "adoption");
        var story = company.Story;
        var result = new DateOnly?[company.Employees.Count];
        foreach (var e in company.Employees)
        {
            var stint = e.Stints[0];
            var levelFactor = stint.Level switch
            {
                Level.Executive => 0.7,
                Level.Manager => 0.8,
                Level.Specialist => 1.0,
                _ => 0.85,
            };
            var affinity = e.Last.Department.AiAffinity;
            var draw = rng.Next();
            var when = rng.Next();
            if (draw >= affinity * levelFactor)
            {
                continue;
            }

            // Keen departments start early; everyone else follows their training wave.
            var start = Math.Min(Catalog.WaveStart(stint.Level) + 0.05, 0.05 + (1 - affinity) * 0.5);
            var day = story.DayAt(start + when * (0.95 - start));
            if (day < e.Start)
            {
                day = e.Start.AddDays(3);
            }

            while (!Story.IsWorkday(day))
            {
                day = day.AddDays(1);
            }

            if (day < story.End && e.On(day) is not null)
            {
                result[e.Index] = day;
            }
        }

        return result;
    }
}
