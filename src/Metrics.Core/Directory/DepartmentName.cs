using Metrics.Core.Events;

namespace Metrics.Core.Directory;

/// <summary>
/// Which department names can be stored and shown: the rule every entry point (directory import, directory
/// connectors, the journal) applies before a name gets in, so a name the KPI store cannot carry never reaches a
/// recompute. InfluxDB line protocol reads a backslash before a space, comma or equals sign (or at a value's end) as an
/// escape and has no escape for control characters, so such a name would be stored as another name or refused after
/// the range was already deleted. <see cref="Reserved"/> names the pooled series of the merged small departments; a
/// real department of that name would silently share it.
/// </summary>
public static class DepartmentName
{
    /// <summary>The name the KPI engine gives the merged departments below the minimum group size.</summary>
    public const string Reserved = "(small groups)";

    /// <summary>Why <paramref name="name"/> cannot be a department, or null when it can.</summary>
    public static string? Check(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "empty department";
        }

        if (name.Length > EventLineParser.MaxKeyLength)
        {
            return $"department longer than {EventLineParser.MaxKeyLength} characters";
        }

        if (name.Contains('\\', StringComparison.Ordinal))
        {
            return "department contains a backslash, which the KPI store cannot carry";
        }

        if (!IsCleanText(name))
        {
            return "department contains a control character or invalid text";
        }

        if (string.Equals(name.Trim(), Reserved, StringComparison.OrdinalIgnoreCase))
        {
            return $"department name '{Reserved}' is reserved for the merged small departments";
        }

        return null;
    }

    /// <summary>True when <paramref name="text"/> has no control character, no unpaired surrogate and no U+FFFF/U+FFFE
    /// (the importer's mark for undecodable bytes).</summary>
    public static bool IsCleanText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsControl(c) || char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF')
            {
                return false;
            }
        }

        return true;
    }
}
