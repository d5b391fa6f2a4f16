using System.Globalization;
using Metrics.Core.Events;

namespace Metrics.Core.Directory;

/// <summary>
/// Parses the directory CSV (<c>person,department,level,from,to</c>), the course catalog CSV (<c>course,levels</c>) and the
/// identity map (<c>identity,person</c>).
/// </summary>
public static class DirectoryCsvParser
{
    public const string DirectoryHeader = "person,department,level,from,to";
    public const string CoursesHeader = "course,levels";
    public const string IdentitiesHeader = "identity,person";

    public static string? CheckHeader(string line, string expected) =>
        string.Equals(line.Trim().TrimStart('\uFEFF').Replace(" ", string.Empty, StringComparison.Ordinal), expected, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"header must be '{expected}'";

    public static ParseResult<DirectoryRecord> ParseDirectoryLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length > EventLineParser.MaxLineLength)
        {
            return ParseResult<DirectoryRecord>.Fail($"line longer than {EventLineParser.MaxLineLength} characters");
        }

        if (!Csv.TrySplit(line, out var f, out var error))
        {
            return ParseResult<DirectoryRecord>.Fail(error!);
        }

        if (f.Count != 5)
        {
            return ParseResult<DirectoryRecord>.Fail($"expected 5 fields, found {f.Count}");
        }

        var person = PersonKey.Normalize(f[0]);
        var department = f[1].Trim();
        if (person.Length == 0)
        {
            return ParseResult<DirectoryRecord>.Fail("empty person");
        }

        if (person.Length > EventLineParser.MaxKeyLength)
        {
            return ParseResult<DirectoryRecord>.Fail($"person longer than {EventLineParser.MaxKeyLength} characters");
        }

        if (DepartmentName.Check(department) is { } departmentError)
        {
            return ParseResult<DirectoryRecord>.Fail(departmentError);
        }

        if (!Levels.TryParse(f[2], out var level))
        {
            return ParseResult<DirectoryRecord>.Fail($"level '{f[2].Trim()}' is not one of executive, manager, specialist, frontline");
        }

        if (!TryParseDate(f[3], out var from))
        {
            return ParseResult<DirectoryRecord>.Fail($"from '{f[3].Trim()}' is not a yyyy-MM-dd date");
        }

        DateOnly? to = null;
        if (f[4].Trim().Length > 0)
        {
            if (!TryParseDate(f[4], out var toDay))
            {
                return ParseResult<DirectoryRecord>.Fail($"to '{f[4].Trim()}' is not a yyyy-MM-dd date");
            }

            if (toDay <= from)
            {
                return ParseResult<DirectoryRecord>.Fail($"to {toDay:yyyy-MM-dd} is not after from {from:yyyy-MM-dd}");
            }

            to = toDay;
        }

        return ParseResult<DirectoryRecord>.Ok(new DirectoryRecord(person, department, level, from, to));
    }

    public static ParseResult<Course> ParseCourseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!Csv.TrySplit(line, out var f, out var error))
        {
            return ParseResult<Course>.Fail(error!);
        }

        if (f.Count != 2)
        {
            return ParseResult<Course>.Fail($"expected 2 fields, found {f.Count}");
        }

        var id = f[0].Trim();
        if (id.Length == 0 || id.Length > EventLineParser.MaxKeyLength)
        {
            return ParseResult<Course>.Fail("empty or over-long course");
        }

        var levels = new List<Level>();
        foreach (var part in f[1].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Levels.TryParse(part, out var level))
            {
                return ParseResult<Course>.Fail($"level '{part}' is not one of executive, manager, specialist, frontline");
            }

            if (!levels.Contains(level))
            {
                levels.Add(level);
            }
        }

        return ParseResult<Course>.Ok(new Course(id, levels));
    }

    /// <summary>One identity map row: a source identity (such as <c>github:&lt;login&gt;</c>) and the person it is.</summary>
    public static ParseResult<IdentityLink> ParseIdentityLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!Csv.TrySplit(line, out var f, out var error))
        {
            return ParseResult<IdentityLink>.Fail(error!);
        }

        if (f.Count != 2)
        {
            return ParseResult<IdentityLink>.Fail($"expected 2 fields (identity,person), found {f.Count}");
        }

        var identity = PersonKey.Normalize(f[0]);
        var person = PersonKey.Normalize(f[1]);
        if (identity.Length == 0 || person.Length == 0)
        {
            return ParseResult<IdentityLink>.Fail("empty identity or person");
        }

        if (identity.Length > EventLineParser.MaxKeyLength || person.Length > EventLineParser.MaxKeyLength)
        {
            return ParseResult<IdentityLink>.Fail($"identity or person longer than {EventLineParser.MaxKeyLength} characters");
        }

        return ParseResult<IdentityLink>.Ok(new IdentityLink(identity, person));
    }

    public static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
