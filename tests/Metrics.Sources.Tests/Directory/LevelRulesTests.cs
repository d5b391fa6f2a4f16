using Metrics.Core.Directory;
using Metrics.Sources.Directory;

namespace Metrics.Sources.Tests.Directory;

public sealed class LevelRulesTests
{
    private static LevelRules Rules() => new(new DirectoryOptions
    {
        LevelRules =
        [
            new LevelRule { Level = Level.Executive, TitlePattern = @"^(chief\b|c[etfo]o\b|vp\b|vice president)" },
            new LevelRule { Level = Level.Frontline, TitleContains = "operator" },
            new LevelRule { Level = Level.Specialist, TitleContains = "engineer", HasDirectReports = false },
            new LevelRule { Level = Level.Frontline, Department = "Stores" },
        ],
        DefaultLevel = Level.Specialist,
    });

    [Theory]
    [InlineData("Chief Financial Officer", "Finance", false, Level.Executive)]
    [InlineData("CTO", "IT", true, Level.Executive)]
    [InlineData("Machine Operator II", "Plant", false, Level.Frontline)]
    [InlineData("Software Engineer", "IT", false, Level.Specialist)]
    [InlineData("Software Engineer", "IT", true, Level.Manager)]
    [InlineData("Head of Data", "IT", true, Level.Manager)]
    [InlineData("Cashier", "Stores", false, Level.Frontline)]
    [InlineData(null, "Finance", false, Level.Specialist)]
    public void Resolve_Rules_FirstMatchThenDirectReportsThenDefault(string? title, string department, bool reports, Level expected) =>
        Assert.Equal(expected, Rules().Resolve(title, department, reports));

    [Fact]
    public void Resolve_DirectReportsDisabled_UsesDefault() =>
        Assert.Equal(Level.Frontline, new LevelRules(new DirectoryOptions { DirectReportsMeansManager = false, DefaultLevel = Level.Frontline }).Resolve("Lead", "Ops", true));
}
