using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Metrics.Simulator.Hosting;

/// <summary>Validates <c>Simulator</c> at start-up; messages name the setting.</summary>
public sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach (var (instance, prefix) in new object[] { options, options.Faults }.Zip(["Simulator", "Simulator:Faults"]))
        {
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true))
            {
                errors.AddRange(results.Select(r => $"{prefix}:{string.Join(',', r.MemberNames)}: {r.ErrorMessage}"));
            }
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            errors.Add($"Simulator:TimeZone '{options.TimeZone}' is not a known IANA time zone.");
        }

        if (options.Faults.RateLimitEvery > 0 && options.Faults.RateLimitEvery <= options.Faults.RateLimitBurst)
        {
            errors.Add("Simulator:Faults:RateLimitEvery must be larger than Simulator:Faults:RateLimitBurst, or every request after the first burst fails.");
        }

        if (string.IsNullOrWhiteSpace(options.Domain) || options.Domain.Contains('@', StringComparison.Ordinal))
        {
            errors.Add("Simulator:Domain must be a domain name such as acme.example.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
