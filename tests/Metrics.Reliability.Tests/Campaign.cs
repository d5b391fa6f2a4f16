using Metrics.Worker.Tests.Cli;

namespace Metrics.Reliability.Tests;

/// <summary>Shared steps of the campaign: the fault-free reference run and the comparison against it.</summary>
public static class Campaign
{
    /// <summary>The company every fault test uses: about 9,000 events over 90 days of 240 people.</summary>
    public static SyntheticCompany Company(int seed = 7) => new(seed, people: 240, days: 90, eventsPerPersonDay100: 40);

    /// <summary>Imports the company in one fault-free run and exports its KPIs.</summary>
    public static async Task<List<ExportedPoint>> ReferenceAsync(string influxUrl, string database, SyntheticCompany company)
    {
        using var cli = new CliRunner(influxUrl, database);
        var files = company.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        var result = await cli.RunAsync("import", "--directory", files.Directory, "--courses", files.Courses, "--events", files.Events, "--to", $"{company.Last:yyyy-MM-dd}");
        Assert.True(result.ExitCode == 0, result.Error);
        return await cli.ExportAsync(company.First, company.Last);
    }

    /// <summary>0 lost, 0 doubled, 0 changed: the same points with the same values.</summary>
    public static void AssertSameKpis(IReadOnlyList<ExportedPoint> expected, IReadOnlyList<ExportedPoint> actual)
    {
        static string Key(ExportedPoint p) => $"{p.Date:yyyy-MM-dd}|{p.Department}|{p.Kpi}|{p.Window}|{p.Tool}";
        Assert.NotEmpty(expected);
        var want = expected.ToDictionary(Key, p => p.Value);
        var got = actual.GroupBy(Key).ToDictionary(g => g.Key, g => g.Select(p => p.Value).ToList());
        var doubled = got.Where(g => g.Value.Count > 1).Select(g => g.Key).ToList();
        var lost = want.Keys.Except(got.Keys).ToList();
        var extra = got.Keys.Except(want.Keys).ToList();
        var wrong = want.Where(w => got.TryGetValue(w.Key, out var v) && Math.Abs(v[0] - w.Value) > 1e-9).Select(w => w.Key).ToList();
        Assert.True(
            doubled.Count + lost.Count + extra.Count + wrong.Count == 0,
            $"{lost.Count} lost (e.g. {lost.FirstOrDefault()}), {doubled.Count} doubled, {extra.Count} extra (e.g. {extra.FirstOrDefault()}), " +
            $"{wrong.Count} wrong (e.g. {wrong.FirstOrDefault()}) of {want.Count}");
    }
}
