using Metrics.Core.Directory;
using Metrics.Core.Ports;
using Metrics.Sources.Common;

namespace Metrics.Sources.Directory;

/// <summary>One person as read from a provider, before levels and keys are decided.</summary>
public sealed record ProviderPerson(string? Email, string? SecondaryEmail, string? EmployeeId, string? Department, string? JobTitle, string? ManagerRef, Level? Level, string ItemRef);

/// <summary>Reads the HR export and the identity mapping CSV. Bad rows are reported by row number, never by content.</summary>
public static class DirectoryCsv
{
    public static async Task<List<ProviderPerson>> ReadPeopleAsync(string path, string source, List<BadItem> bad, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bad);
        var lines = await ReadLinesAsync(path, cancellationToken);
        var people = new List<ProviderPerson>();
        if (lines.Length == 0 || !Csv.TrySplit(lines[0], out var header, out _))
        {
            throw new SourcePageException("HR export is empty or its header is not CSV");
        }

        var col = header.Select((h, i) => (Name: h.Trim().ToLowerInvariant(), i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        if (!col.ContainsKey("email") || !col.ContainsKey("department"))
        {
            throw new SourcePageException("HR export header must contain email and department");
        }

        string? Field(List<string> f, string name) =>
            col.TryGetValue(name, out var i) && i < f.Count && f[i].Trim().Length > 0 ? f[i].Trim() : null;

        for (var n = 1; n < lines.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n]))
            {
                continue;
            }

            var row = $"row {n + 1}";
            if (!Csv.TrySplit(lines[n], out var f, out var error))
            {
                bad.Add(new BadItem(source, row, error ?? "not CSV"));
                continue;
            }

            Level? level = null;
            if (Field(f, "level") is { } levelText)
            {
                if (!Levels.TryParse(levelText, out var parsed))
                {
                    bad.Add(new BadItem(source, row, "level is not one of executive, manager, specialist, frontline"));
                    continue;
                }

                level = parsed;
            }

            people.Add(new ProviderPerson(Field(f, "email"), null, Field(f, "employeeid"), Field(f, "department"), Field(f, "jobtitle"), Field(f, "manager"), level, row));
        }

        return people;
    }

    public static async Task<List<IdentityLink>> ReadIdentityMapAsync(string path, string source, List<BadItem> bad, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bad);
        var lines = await ReadLinesAsync(path, cancellationToken);
        var links = new List<IdentityLink>();
        for (var n = 0; n < lines.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n]))
            {
                continue;
            }

            // The same row rules as `import --identities`: a map that one of them accepts the other must not refuse.
            var row = DirectoryCsvParser.ParseIdentityLine(lines[n]);
            if (row.Value is not { } link)
            {
                bad.Add(new BadItem(source, $"identity map row {n + 1}", row.Error!));
                continue;
            }

            if (n == 0 && link.Identity == "identity")
            {
                continue;
            }

            links.Add(link);
        }

        return links;
    }

    private static async Task<string[]> ReadLinesAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllLinesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SourcePageException($"cannot read {Path.GetFileName(path)}: {ex.GetType().Name}", ex);
        }
    }
}
