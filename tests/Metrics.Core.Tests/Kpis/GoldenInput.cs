using Metrics.Core.Directory;
using Metrics.Core.Events;
using Metrics.Testing.Golden;

namespace Metrics.Core.Tests.Kpis;

/// <summary>Parses the golden company's files with the core parsers, as the import does.</summary>
internal static class GoldenInput
{
    public static List<CanonicalEvent> ParseEvents(string jsonl) =>
        jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => EventLineParser.Parse(l).Value ?? throw new InvalidOperationException(EventLineParser.Parse(l).Error))
            .ToList();

    public static OrgDirectory Directory() => OrgDirectory.Build(
        GoldenCompany.Directory.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => DirectoryCsvParser.ParseDirectoryLine(l).Value!));

    public static CourseCatalog Courses() => new(
        GoldenCompany.Courses.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => DirectoryCsvParser.ParseCourseLine(l).Value!));
}
