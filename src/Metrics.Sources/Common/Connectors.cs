using Metrics.Core.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Metrics.Sources.Common;

/// <summary>The one registration line of a connector folder (Api, Dtos, Options, Mapper, Source).</summary>
public static class Connectors
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from <paramref name="section"/> and validates it at start-up, registers
    /// <typeparamref name="TApi"/> as the Refit client <c>source-&lt;name&gt;</c> (base URL, credentials from
    /// <see cref="SourceOptions.ConfigureClient"/>, size limit, resilience) and <typeparamref name="TSource"/> as an
    /// <see cref="IEventSource"/>. <c>&lt;name&gt;</c> is the section's last part, lowercased (<c>Sources:Lms</c> → <c>lms</c>).
    /// </summary>
    public static IServiceCollection AddConnector<TApi, TOptions, TValidator, TSource>(this IServiceCollection services, IConfiguration configuration, string section)
        where TApi : class
        where TOptions : SourceOptions
        where TValidator : class, IValidateOptions<TOptions>
        where TSource : class, IEventSource
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentException.ThrowIfNullOrWhiteSpace(section);
        services.AddSourceOptions<TOptions, TValidator>(configuration, section);
        services.AddSourceClient<TApi, TOptions>("source-" + section[(section.LastIndexOf(':') + 1)..].ToLowerInvariant(), o => o.BaseUrl, (client, o) => o.ConfigureClient(client));
        services.AddTransient<IEventSource, TSource>();
        return services;
    }

    /// <summary>Binds a source's options from its section, validated when the host starts.</summary>
    public static IServiceCollection AddSourceOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : SourceOptions
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>()
            .Bind(configuration.GetSection(section))
            .PostConfigure(o => SecretFiles.Load(o, configuration.GetSection(section), section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services;
    }
}
