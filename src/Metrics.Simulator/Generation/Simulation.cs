using Metrics.Core.Directory;

namespace Metrics.Simulator.Generation;

/// <summary>Everything the simulator serves and exports, generated once from the options.</summary>
public sealed class Simulation
{
    public required SimulatorOptions Options { get; init; }

    public required Company Company { get; init; }

    public required GroundTruth Truth { get; init; }

    public required XapiData Lrs { get; init; }

    public required N8nData N8n { get; init; }

    public required JiraData Jira { get; init; }

    public required GraphData Graph { get; init; }

    public required CopilotData Copilot { get; init; }

    public IReadOnlyList<Course> Courses => Catalog.Courses;

    public Story Story => Company.Story;

    public static Simulation Generate(SimulatorOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var (first, end) = options.Range(clock);
        var story = new Story(first, end, TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone), options.Seed);
        var company = CompanyGenerator.Generate(options, story);
        var adoption = Adoption.Plan(company, options.Seed);
        var truth = new GroundTruth();
        var lrs = XapiGenerator.Generate(company, adoption, truth, options);
        var n8n = N8nGenerator.Generate(company, adoption, truth, options);
        var jira = JiraGenerator.Generate(company, adoption, truth, options);
        var graph = GraphGenerator.Generate(company, truth, options);
        var copilot = CopilotGenerator.Generate(company, adoption, truth, options);
        return new Simulation { Options = options, Company = company, Truth = truth, Lrs = lrs, N8n = n8n, Jira = jira, Graph = graph, Copilot = copilot };
    }

    /// <summary>The effective-dated directory in the import format's terms, ordered by person and date.</summary>
    public IReadOnlyList<DirectoryRecord> Directory() =>
        [.. Company.Employees
            .SelectMany(e => e.Stints.Select(s => new DirectoryRecord(e.Email, s.Department.Name, s.Level, s.From, s.To)))
            .OrderBy(r => r.Person, StringComparer.Ordinal).ThenBy(r => r.From)];
}
