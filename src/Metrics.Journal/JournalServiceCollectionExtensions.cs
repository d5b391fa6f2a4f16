using Metrics.Core.Events;
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
            .PostConfigure(o => o.ReadSecretFile())
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<JournalOptions>, JournalOptionsValidator>();
        services.AddSingleton<SqliteEventJournal>(sp => new SqliteEventJournal(sp.GetRequiredService<IOptions<JournalOptions>>().Value));
        services.AddSingleton(sp => new PersonPseudonyms(sp.GetRequiredService<IOptions<JournalOptions>>().Value.PseudonymKey));
        // Always behind the pseudonym door, keyed or not: it also refuses a pseudonymised journal opened without its key.
        services.AddSingleton<IEventJournal>(sp => new PseudonymisingEventJournal(sp.GetRequiredService<SqliteEventJournal>(), sp.GetRequiredService<PersonPseudonyms>()));
        return services;
    }

    private sealed class JournalOptionsValidator : IValidateOptions<JournalOptions>
    {
        public ValidateOptionsResult Validate(string? name, JournalOptions options) =>
            options.Validate() is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
    }
}
