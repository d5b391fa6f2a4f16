using Metrics.Core.Ports;
using Metrics.Journal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class JournalServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="JournalOptions"/> (section <c>Journal</c>, validated on start) and the SQLite
    /// <see cref="IEventJournal"/> as a singleton; the database file is created or migrated when it is first resolved.
    /// </summary>
    public static IServiceCollection AddEventJournal(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<JournalOptions>()
            .Bind(configuration.GetSection(JournalOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<JournalOptions>, JournalOptionsValidator>();
        services.AddSingleton<SqliteEventJournal>(sp => new SqliteEventJournal(sp.GetRequiredService<IOptions<JournalOptions>>().Value));
        services.AddSingleton<IEventJournal>(sp => sp.GetRequiredService<SqliteEventJournal>());
        return services;
    }

    private sealed class JournalOptionsValidator : IValidateOptions<JournalOptions>
    {
        public ValidateOptionsResult Validate(string? name, JournalOptions options) =>
            options.Validate() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
    }
}
