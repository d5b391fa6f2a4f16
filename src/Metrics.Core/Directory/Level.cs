namespace Metrics.Core.Directory;

/// <summary>Job level of a directory record.</summary>
public enum Level : byte
{
    Executive,
    Manager,
    Specialist,
    Frontline,
}

public static class Levels
{
    public static IReadOnlyList<Level> All { get; } = [Level.Executive, Level.Manager, Level.Specialist, Level.Frontline];

    public static string Name(Level level) => level switch
    {
        Level.Executive => "executive",
        Level.Manager => "manager",
        Level.Specialist => "specialist",
        Level.Frontline => "frontline",
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    public static bool TryParse(string? text, out Level level)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "executive": level = Level.Executive; return true;
            case "manager": level = Level.Manager; return true;
            case "specialist": level = Level.Specialist; return true;
            case "frontline": level = Level.Frontline; return true;
            default: level = default; return false;
        }
    }
}
