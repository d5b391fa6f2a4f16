using System.Xml.Linq;

namespace Metrics.Deployment.Tests;

/// <summary>CI fails on a package a test project references but never uses: it only slows restores and hides intent.</summary>
public sealed class TestPackageReferenceTests
{
    /// <summary>The namespace whose use in a project's sources proves a package is needed. A new test package adds its line here.</summary>
    private static readonly Dictionary<string, string> UsedAs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["YamlDotNet"] = "YamlDotNet",
        ["CsCheck"] = "CsCheck",
        ["FsCheck.Xunit"] = "FsCheck",
        ["NSubstitute"] = "NSubstitute",
        ["Microsoft.Extensions.TimeProvider.Testing"] = "Microsoft.Extensions.Time.Testing",
        ["Microsoft.OpenApi.Readers"] = "Microsoft.OpenApi",
        ["Microsoft.AspNetCore.Mvc.Testing"] = "Microsoft.AspNetCore.TestHost",
        ["xunit.extensibility.core"] = "Xunit",
        ["xunit.assert"] = "Xunit",
        ["BenchmarkDotNet"] = "BenchmarkDotNet",
    };

    [Fact]
    public void TestProjects_EveryPackageReference_IsUsedInTheirSources()
    {
        var unused = new List<string>();
        foreach (var project in Directory.GetFiles(ComposeFileTests.Repo("tests"), "*.csproj", SearchOption.AllDirectories))
        {
            var directory = Path.GetDirectoryName(project)!;
            var sources = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Select(File.ReadAllText)
                .ToList();
            foreach (var package in XDocument.Load(project).Descendants("PackageReference").Select(p => (string?)p.Attribute("Include")).OfType<string>())
            {
                Assert.True(UsedAs.TryGetValue(package, out var ns), $"{Path.GetFileName(project)}: add {package} and the namespace that proves its use to {nameof(UsedAs)}");
                if (!sources.Any(s => s.Contains(ns + ".", StringComparison.Ordinal) || s.Contains(ns + ";", StringComparison.Ordinal)))
                {
                    unused.Add($"{Path.GetFileName(project)}: {package}");
                }
            }
        }

        Assert.True(unused.Count == 0, "unused package references: " + string.Join(", ", unused));
    }
}
