using Metrics.Core.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Metrics.Journal.Tests;

public sealed class JournalServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metrics-journal-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task AddEventJournal_ConfiguredPath_ResolvesOneJournalOnThatFile()
    {
        var path = Path.Combine(_directory, "sub", "j.db");
        using var provider = Build(new Dictionary<string, string?> { ["Journal:Path"] = path });

        var journal = provider.GetRequiredService<IEventJournal>();
        await journal.AppendAsync([Ev.Make("a")]);

        Assert.Same(journal, provider.GetRequiredService<IEventJournal>());
        Assert.True(File.Exists(path));
        Assert.Equal(1, await journal.CountEventsAsync());
    }

    [Fact]
    public void AddEventJournal_NoJournalSection_BindsDefaultPath()
    {
        using var provider = Build([]);

        var options = provider.GetRequiredService<IOptions<JournalOptions>>().Value;

        Assert.Equal(JournalOptions.DefaultPath, options.Path);
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Fact]
    public void AddEventJournal_EmptyPath_FailsStartupValidationNamingTheSetting()
    {
        using var provider = Build(new Dictionary<string, string?> { ["Journal:Path"] = "" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Journal:Path", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddEventJournal(configuration).BuildServiceProvider();
    }
}
