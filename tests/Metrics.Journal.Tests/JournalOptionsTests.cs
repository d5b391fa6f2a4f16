namespace Metrics.Journal.Tests;

public sealed class JournalOptionsTests
{
    [Fact]
    public void Path_NotConfigured_DefaultsToDataDirectory()
    {
        var options = new JournalOptions();

        Assert.Equal("data/metrics-journal.db", options.Path);
        Assert.Equal(Path.Combine(Environment.CurrentDirectory, "data", "metrics-journal.db"), options.FullPath());
        Assert.Null(options.Validate());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(":memory:")]
    public void Validate_UnusablePath_NamesTheSetting(string path)
    {
        var error = new JournalOptions { Path = path }.Validate();

        Assert.NotNull(error);
        Assert.StartsWith("Journal:Path", error, StringComparison.Ordinal);
    }
}
