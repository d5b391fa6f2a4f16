using Microsoft.Extensions.Options;

namespace Metrics.Influx;

/// <summary>
/// Start-up checks of <see cref="InfluxOptions"/>. Each message names the setting it is about so an operator can fix the
/// configuration without reading code; secret values are never quoted.
/// </summary>
public sealed class InfluxOptionsValidator : IValidateOptions<InfluxOptions>
{
    public const int MinBatchSize = 1;
    public const int MaxBatchSize = 100_000;
    public static readonly TimeSpan MinTimeout = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, InfluxOptions options)
    {
        var failures = new List<string>();
        var s = InfluxOptions.SectionName;

        if (string.IsNullOrWhiteSpace(options.Url))
        {
            failures.Add($"{s}:Url is required (for example http://localhost:8086).");
        }
        else if (!Uri.TryCreate(options.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{s}:Url '{options.Url}' is not an absolute http(s) URL.");
        }
        else if (!string.IsNullOrEmpty(url.UserInfo))
        {
            // The URL appears in error messages and logs, so credentials must not live in it.
            failures.Add($"{s}:Url must not contain credentials; use {s}:Token or {s}:Username and {s}:Password.");
        }
        else if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            failures.Add($"{s}:Url '{url.GetLeftPart(UriPartial.Path)}' must not have a query string or fragment.");
        }

        var api = options.Api?.Trim() ?? "";
        var isV2 = string.Equals(api, InfluxOptions.ApiV2, StringComparison.OrdinalIgnoreCase);
        if (!isV2
            && !string.Equals(api, InfluxOptions.ApiV1, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(api, InfluxOptions.ApiAuto, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"{s}:Api '{options.Api}' is not one of auto, v2, v1.");
        }

        if (isV2 && string.IsNullOrWhiteSpace(options.Bucket))
        {
            failures.Add($"{s}:Bucket is required when {s}:Api is v2.");
        }

        if (string.IsNullOrWhiteSpace(options.Database))
        {
            failures.Add($"{s}:Database is required: it is the v1 write target and the InfluxQL database KPIs are read from.");
        }

        failures.AddRange(options.SecretFileErrors);
        var hasToken = !string.IsNullOrEmpty(options.Token);
        var hasUser = !string.IsNullOrEmpty(options.Username);
        var hasPassword = !string.IsNullOrEmpty(options.Password);
        if (hasToken && (hasUser || hasPassword))
        {
            failures.Add($"{s}:Token and {s}:Username/{s}:Password are alternatives; set only one of them.");
        }

        if (hasUser != hasPassword)
        {
            failures.Add(hasUser
                ? $"{s}:Password is required when {s}:Username is set."
                : $"{s}:Username is required when {s}:Password is set.");
        }

        if (options.BatchSize is < MinBatchSize or > MaxBatchSize)
        {
            failures.Add($"{s}:BatchSize {options.BatchSize} is outside {MinBatchSize}..{MaxBatchSize}.");
        }

        if (options.Timeout < MinTimeout || options.Timeout > MaxTimeout)
        {
            failures.Add($"{s}:Timeout {options.Timeout} is outside {MinTimeout}..{MaxTimeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
