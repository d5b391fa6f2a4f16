using System.Diagnostics;
using System.Text;
using Metrics.Core.Directory;
using Metrics.Core.Events;
using Metrics.Simulator.Export;
using Metrics.Simulator.Generation;
using Metrics.Simulator.Hosting;

namespace Metrics.Simulator.Tests;

public sealed class GenerationTests
{
    private static readonly Simulation Default = TestCompany.Generate(TestCompany.Options(employees: 200, days: 120));

    [Fact]
    public void Render_SameOptions_ByteIdenticalFiles()
    {
        var again = TestCompany.Generate(TestCompany.Options(employees: 200, days: 120));
        foreach (var file in GroundTruthExport.Files)
        {
            Assert.Equal(GroundTruthExport.Render(Default, file), GroundTruthExport.Render(again, file));
        }
    }

    [Fact]
    public void Render_DifferentSeed_DifferentEventsAndDirectory()
    {
        var other = TestCompany.Generate(TestCompany.Options(employees: 200, days: 120, seed: 43));
        Assert.NotEqual(GroundTruthExport.Render(Default, "events.jsonl"), GroundTruthExport.Render(other, "events.jsonl"));
        Assert.NotEqual(GroundTruthExport.Render(Default, "directory.csv"), GroundTruthExport.Render(other, "directory.csv"));
    }

    [Fact]
    public async Task WriteAsync_ExportDirectory_EveryLineParsesWithTheCoreParsers()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sim-export-" + Guid.NewGuid().ToString("N"));
        try
        {
            await GroundTruthExport.WriteAsync(Default, dir, CancellationToken.None);
            var events = await File.ReadAllLinesAsync(Path.Combine(dir, "events.jsonl"));
            var parsed = events.Select(EventLineParser.Parse).ToList();
            Assert.All(parsed, p => Assert.True(p.IsValid, p.Error));
            Assert.Equal(Default.Truth.Events.Count, parsed.Count);
            Assert.Equal(parsed.Count, parsed.Select(p => (p.Value!.Source, p.Value.Id)).Distinct().Count());

            var directory = await File.ReadAllLinesAsync(Path.Combine(dir, "directory.csv"));
            Assert.Null(DirectoryCsvParser.CheckHeader(directory[0], DirectoryCsvParser.DirectoryHeader));
            var records = directory.Skip(1).Select(DirectoryCsvParser.ParseDirectoryLine).ToList();
            Assert.All(records, r => Assert.True(r.IsValid, r.Error));
            foreach (var person in records.Select(r => r.Value!).GroupBy(r => r.Person))
            {
                var rows = person.OrderBy(r => r.From).ToList();
                Assert.All(rows.Zip(rows.Skip(1)), pair => Assert.False(pair.First.Overlaps(pair.Second), person.Key));
            }

            var courses = await File.ReadAllLinesAsync(Path.Combine(dir, "courses.csv"));
            Assert.Null(DirectoryCsvParser.CheckHeader(courses[0], DirectoryCsvParser.CoursesHeader));
            Assert.All(courses.Skip(1).Select(DirectoryCsvParser.ParseCourseLine), c => Assert.True(c.IsValid, c.Error));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Truth_RejectedItems_AreNotEvents()
    {
        var ids = Default.Truth.Events.Select(e => (e.Source, e.Id)).ToHashSet();
        var rejected = Default.Truth.Differences.Where(d => d.Kind is DifferenceKind.Rejected or DifferenceKind.Voided).ToList();
        Assert.Contains(rejected, d => d.Source == "lms");
        Assert.Contains(rejected, d => d.Source == "lowcode");
        Assert.Contains(rejected, d => d.Source == "ticketing");
        Assert.Contains(rejected, d => d.Source == "directory");
        Assert.DoesNotContain(rejected, d => ids.Contains((d.Source, d.ItemId)));
    }

    [Fact]
    public void Story_ProposalsOverTime_FrontlineShareGrows()
    {
        var levels = Default.Directory().ToLookup(r => r.Person);
        var story = Default.Story;
        double Share(double from, double to)
        {
            var proposals = Default.Truth.Events.Where(e => e.Type == EventType.ProposalSubmitted)
                .Where(e => story.Progress(story.DayOf(e.Time)) is var p && p >= from && p < to)
                .Select(e => levels[e.Person].FirstOrDefault(r => r.Covers(story.DayOf(e.Time)))?.Level)
                .Where(l => l is not null).ToList();
            return proposals.Count(l => l == Level.Frontline) / (double)proposals.Count;
        }

        Assert.True(Share(0.66, 1.0) > Share(0.0, 0.33) + 0.2, $"{Share(0.0, 0.33)} -> {Share(0.66, 1.0)}");
    }

    [Fact]
    public void Story_SmallDepartment_BelowMinimumGroupSizeEveryDay()
    {
        var small = Default.Company.SmallDepartment.Name;
        foreach (var day in Default.Story.AllDays)
        {
            var size = Default.Directory().Count(r => r.Department == small && r.Covers(day));
            Assert.InRange(size, 1, Default.Options.MinimumGroupSize - 1);
        }
    }

    [Fact]
    public void Story_Reorg_CreatesADepartmentFromTwoOthers()
    {
        var reorg = Default.Company.ReorgDay;
        var moved = Default.Directory().Where(r => r.Department == Default.Company.ReorgDepartment.Name).ToList();
        Assert.True(moved.Count >= Default.Options.MinimumGroupSize);
        Assert.All(moved, r => Assert.Equal(reorg, r.From));
        var before = Default.Directory().Where(r => r.To == reorg && moved.Any(m => m.Person == r.Person)).Select(r => r.Department).Distinct().ToList();
        Assert.Equal(2, before.Count);
    }

    [Fact]
    public void Story_TrainingWaves_ExecutivesBeforeFrontline()
    {
        var story = Default.Story;
        var levels = Default.Directory().ToLookup(r => r.Person);
        DateOnly FirstEnrolment(Level level) => Default.Truth.Events
            .Where(e => e.Type == EventType.TrainingEnrolled && levels[e.Person].FirstOrDefault(r => r.Covers(story.DayOf(e.Time)))?.Level == level)
            .Min(e => story.DayOf(e.Time));
        Assert.True(FirstEnrolment(Level.Executive) < FirstEnrolment(Level.Specialist));
        Assert.True(FirstEnrolment(Level.Specialist) < FirstEnrolment(Level.Frontline));
    }

    [Fact]
    public void Story_AiUse_UnevenAcrossDepartments()
    {
        var last = Default.Story.End.AddDays(-1);
        var users = Default.Truth.Events.Where(e => e.Type == EventType.AiUsed && Default.Story.DayOf(e.Time) > last.AddDays(-28)).Select(e => e.Person).ToHashSet();
        var rates = Default.Directory().Where(r => r.Covers(last)).GroupBy(r => r.Department)
            .Where(g => g.Count() >= 5)
            .Select(g => g.Count(r => users.Contains(r.Person)) / (double)g.Count()).ToList();
        Assert.True(rates.Max() - rates.Min() > 0.3, string.Join(", ", rates));
    }

    [Fact]
    public void Story_Projects_FailuresWithAndWithoutRetrospectives()
    {
        var failed = Default.Truth.Events.Where(e => e.Type == EventType.ProjectFailed).Select(e => e.Subject).ToHashSet();
        var retro = Default.Truth.Events.Where(e => e.Type == EventType.ProjectRetrospective).Select(e => e.Subject).ToHashSet();
        Assert.Contains(failed, p => retro.Contains(p));
        Assert.Contains(failed, p => !retro.Contains(p));
        var departments = Default.Directory().ToLookup(r => r.Person);
        var cross = Default.Truth.Events.Where(e => e.Type == EventType.ProjectMember).GroupBy(e => e.Subject)
            .Count(g => g.Select(e => departments[e.Person].FirstOrDefault(r => r.Covers(Default.Story.DayOf(e.Time)))?.Department).OfType<string>().Distinct().Count() > 1);
        Assert.True(cross > 0);
    }

    [Fact]
    public void Story_LateAndVoidedStatements_Exist()
    {
        var late = Default.Lrs.Statements.Count(s => Encoding.UTF8.GetString(s.Json) is var json && json.Contains("\"timestamp\"", StringComparison.Ordinal)
            && Default.Truth.Events.FirstOrDefault(e => e.Source == "lms" && e.Id == s.Id) is { } ev && s.Stored - ev.Time > TimeSpan.FromDays(2));
        Assert.True(late > 0);
        var voided = Default.Lrs.Statements.Where(s => s.Voided).Select(s => s.Id).ToList();
        Assert.NotEmpty(voided);
        var retracted = Default.Truth.Events.Where(e => e.Type == EventType.EventRetracted).Select(e => e.Subject).ToList();
        Assert.Equal(voided.Order(StringComparer.Ordinal), retracted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Story_UnresolvableIdentities_AreInEventsButNotInDirectory()
    {
        var people = Default.Directory().Select(r => r.Person).ToHashSet();
        var unresolved = Default.Truth.Events.Where(e => !people.Contains(e.Person)).Select(e => e.Person).ToHashSet();
        Assert.Contains(unresolved, p => p.StartsWith("account:", StringComparison.Ordinal));
        Assert.Contains(unresolved, p => p.StartsWith("jira:", StringComparison.Ordinal));
        Assert.Contains("consultant@partner.example", unresolved);
    }

    [Fact]
    public void Generate_LargeCompany_StaysFast()
    {
        var watch = Stopwatch.StartNew();
        var big = TestCompany.Generate(TestCompany.Options(employees: 2000, days: 365));
        watch.Stop();
        Assert.True(big.Truth.Events.Count > 50_000);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), watch.Elapsed.ToString());
    }

    [Fact]
    public void ConnectorsFile_MatchesTheGeneratedSettings()
    {
        var file = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "connectors.appsettings.json"));
        Assert.Equal(ConnectorSettings.Json(ConnectorSettings.DefaultBaseUrl, new SimulatorOptions()), file);
    }
}
