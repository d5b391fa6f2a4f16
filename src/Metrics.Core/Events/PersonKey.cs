namespace Metrics.Core.Events;

/// <summary>Person keys are compared after trimming and lowercasing (spec "Days, people, directory").</summary>
public static class PersonKey
{
    public static string Normalize(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        return raw.Trim().ToLowerInvariant();
    }
}
