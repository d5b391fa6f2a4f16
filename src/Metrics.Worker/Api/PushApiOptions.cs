using System.Globalization;
using Metrics.Core.Events;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Api;

/// <summary>The push API (<c>POST /api/events</c>). Bound from the <c>PushApi</c> section; no key means the endpoint is off.</summary>
public sealed class PushApiOptions
{
    public const string SectionName = "PushApi";

    /// <summary>The API keys by name (the name shows in logs and metrics, the key itself never does).</summary>
    public Dictionary<string, PushApiKeyOptions> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Largest request body accepted; larger ones are answered 413 before anything is parsed.</summary>
    /// <value>Default 4 MiB (about 15,000 events).</value>
    public long MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Requests one key may make per <see cref="Window"/>; requests without a valid key share one such budget.</summary>
    public int PermitLimit { get; set; } = 60;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>One API key: the SHA-256 of the key (never the key itself) and the sources it may write.</summary>
public sealed class PushApiKeyOptions
{
    /// <summary>SHA-256 of the key's UTF-8 bytes as 64 hex digits (<c>printf %s "$KEY" | sha256sum</c>).</summary>
    public string? Hash { get; set; }

    /// <summary>The <c>source</c> values this key may write, separated by <c>;</c> or <c>,</c>.</summary>
    public string? Sources { get; set; }

    internal IReadOnlyList<string> SourceList() =>
        (Sources ?? "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

internal sealed class PushApiOptionsValidator : IValidateOptions<PushApiOptions>
{
    private const long MaxAllowedBody = 256L * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, PushApiOptions options)
    {
        var errors = new List<string>();
        if (options.MaxBodyBytes is < 1024 or > MaxAllowedBody)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"PushApi:MaxBodyBytes must be between 1024 and {MaxAllowedBody} (was {options.MaxBodyBytes})."));
        }

        if (options.PermitLimit < 1)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"PushApi:PermitLimit must be at least 1 (was {options.PermitLimit})."));
        }

        if (options.Window < TimeSpan.FromSeconds(1) || options.Window > TimeSpan.FromDays(1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"PushApi:Window must be between 00:00:01 and 1.00:00:00 (was {options.Window})."));
        }

        var hashes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (keyName, key) in options.Keys)
        {
            var prefix = $"PushApi:Keys:{keyName}";
            if (key.Hash is not { } hash || !PushApiKeys.TryParseHash(hash, out _))
            {
                errors.Add($"{prefix}:Hash must be the SHA-256 of the key as 64 hex digits (printf %s \"$KEY\" | sha256sum), never the key itself.");
            }
            else if (!hashes.Add(hash.Trim()))
            {
                errors.Add($"{prefix}:Hash is the same as another key's: give every client its own key.");
            }

            var sources = key.SourceList();
            if (sources.Count == 0)
            {
                errors.Add($"{prefix}:Sources must name at least one source this key may write (separated by ';').");
            }

            errors.AddRange(sources.Where(s => s.Length > EventLineParser.MaxKeyLength)
                .Select(_ => $"{prefix}:Sources names a source longer than {EventLineParser.MaxKeyLength} characters."));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
