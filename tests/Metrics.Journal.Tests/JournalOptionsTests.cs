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

    [Fact]
    public void ReadSecretFile_KeyFile_BecomesThePseudonymKey()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "a-random-secret-of-at-least-32-chars\n");
            var options = new JournalOptions { PseudonymKeyFile = file };

            options.ReadSecretFile();

            Assert.Equal("a-random-secret-of-at-least-32-chars", options.PseudonymKey);
            Assert.Null(options.Validate());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Validate_ShortKeyOrUnreadableKeyFile_NamesTheSettingNeverTheSecret()
    {
        var missing = new JournalOptions { PseudonymKeyFile = "/nonexistent/metrics-key" };
        missing.ReadSecretFile();
        var shortKey = new JournalOptions { PseudonymKey = "too-short-secret" };

        Assert.StartsWith("Journal:PseudonymKey_FILE", missing.Validate(), StringComparison.Ordinal);
        var error = shortKey.Validate();
        Assert.StartsWith("Journal:PseudonymKey must be at least 32 characters", error, StringComparison.Ordinal);
        Assert.DoesNotContain("too-short-secret", error, StringComparison.Ordinal);
    }
}
