using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Metrics.Sources.Common;

/// <summary>
/// Validates a source's options at start-up. Every message names the configuration key it is about, so an operator can
/// fix the setting without reading code. Values of secrets are never echoed.
/// </summary>
public abstract class SourceOptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : SourceOptions
{
    protected SourceOptionsValidator(string section) => Section = section;

    /// <summary>The configuration section, e.g. <c>Sources:Lms</c>.</summary>
    protected string Section { get; }

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>(options.ConfigurationErrors);
        AddAnnotationErrors(options, Section, errors);
        AddAnnotationErrors(options.Resilience, Section + ":Resilience", errors);
        if (options.Enabled)
        {
            ValidateEnabled(options, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Checks that only matter for a source that will be pulled (URLs, credentials, rules).</summary>
    protected virtual void ValidateEnabled(TOptions options, List<string> errors)
    {
        RequireUrl(options.BaseUrl, "BaseUrl", errors, options.AllowInsecureHttp);
        var r = options.Resilience;
        if (r.AttemptTimeout > r.TotalTimeout)
        {
            errors.Add($"{Section}:Resilience:AttemptTimeout ({r.AttemptTimeout}) must not exceed {Section}:Resilience:TotalTimeout ({r.TotalTimeout}).");
        }

        // Mirrors the resilience handler's own validator so a mistake is reported under our key names, not its.
        var worstDelays = TimeSpan.Zero;
        for (var i = 0; i < r.MaxRetries; i++)
        {
            var delay = r.BaseDelay * Math.Pow(2, i);
            worstDelays += delay < r.MaxDelay ? delay : r.MaxDelay;
        }

        if (worstDelays >= r.TotalTimeout)
        {
            errors.Add($"{Section}:Resilience:TotalTimeout ({r.TotalTimeout}) is shorter than the backoff delays of {Section}:Resilience:MaxRetries ({r.MaxRetries}) retries starting at {Section}:Resilience:BaseDelay ({r.BaseDelay}).");
        }
    }

    /// <summary>
    /// An absolute https URL. Plain http would send the source's credentials in clear text, so it is refused unless the
    /// host is a loopback address (the traffic never leaves the machine) or <see cref="SourceOptions.AllowInsecureHttp"/>
    /// says so on purpose.
    /// </summary>
    protected void RequireUrl(Uri? url, string key, List<string> errors, bool allowInsecureHttp = false)
    {
        if (url is null)
        {
            errors.Add($"{Section}:{key} is required when {Section}:Enabled is true.");
        }
        else if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            errors.Add($"{Section}:{key} must be an absolute http(s) URL.");
        }
        else if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback && !allowInsecureHttp)
        {
            errors.Add($"{Section}:{key} uses plain http, which would send the credentials unencrypted; use https, or set {Section}:AllowInsecureHttp to true to accept it on purpose.");
        }
    }

    protected void RequireText(string? value, string key, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{Section}:{key} is required when {Section}:Enabled is true.");
        }
    }

    private static void AddAnnotationErrors(object instance, string prefix, List<string> errors)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true))
        {
            foreach (var result in results)
            {
                foreach (var member in result.MemberNames.DefaultIfEmpty("?"))
                {
                    errors.Add($"{prefix}:{member}: {result.ErrorMessage}");
                }
            }
        }
    }
}
