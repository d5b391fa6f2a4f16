using System.Text;
using Metrics.Worker.Cli;

namespace Metrics.Worker.Tests.Cli;

/// <summary>The production binary (and so the worker image) carries no demo: no simulated company, no apt-get installer.</summary>
public sealed class ProductionBinaryTests
{
    [Fact]
    public void Build_RootCommand_HasNoDemoCommand()
    {
        var root = MetricsCli.Build(TextWriter.Null, TextWriter.Null);

        Assert.Contains(root.Subcommands, c => c.Name == "run");
        Assert.DoesNotContain(root.Subcommands, c => c.Name == "demo");
    }

    [Fact]
    public void WorkerAssembly_References_NoSimulator()
    {
        var references = typeof(MetricsCli).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("Metrics.Sources", references);
        Assert.DoesNotContain(references, name => name!.Contains("Simulator", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void WorkerAssembly_Strings_HoldNoAptGetInstaller()
    {
        // C# string literals live in the assembly's user-string heap as UTF-16.
        var image = File.ReadAllBytes(typeof(MetricsCli).Assembly.Location);

        Assert.Equal(-1, image.AsSpan().IndexOf(Encoding.Unicode.GetBytes("apt-get")));
        Assert.NotEqual(-1, image.AsSpan().IndexOf(Encoding.Unicode.GetBytes("sync needs --once")));
    }
}
