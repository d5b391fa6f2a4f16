using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Metrics.Worker.Reports;

/// <summary>The weekly digest: where it is written and its e-mail delivery. Section <c>Report</c>.</summary>
public sealed class ReportOptions
{
    public const string SectionName = "Report";

    /// <summary>Where <c>report</c> (without <c>--to-file</c>) writes the digest.</summary>
    /// <value>Default <c>reports</c>, relative to the working directory.</value>
    public string Directory { get; set; } = "reports";

    public SmtpOptions Smtp { get; set; } = new();

    public WeeklyDigestOptions Weekly { get; set; } = new();
}

/// <summary>The digest made by the service itself each week; off unless <see cref="Enabled"/>.</summary>
public sealed class WeeklyDigestOptions
{
    public bool Enabled { get; set; }

    /// <value>Default Monday.</value>
    public DayOfWeek Day { get; set; } = DayOfWeek.Monday;

    /// <summary>Wall-clock time of day in the org's zone (<c>Kpi:TimeZone</c>).</summary>
    /// <value>Default 07:00.</value>
    public TimeSpan At { get; set; } = TimeSpan.FromHours(7);
}

/// <summary>E-mail delivery of the digest; off while <see cref="Host"/> is empty.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    /// <value>Default 587 (submission with STARTTLS).</value>
    public int Port { get; set; } = 587;

    /// <summary><c>StartTls</c> (default), <c>SslOnConnect</c>, <c>StartTlsWhenAvailable</c>, <c>Auto</c> or <c>None</c>.</summary>
    public string Security { get; set; } = nameof(SecureSocketOptions.StartTls);

    public string? Username { get; set; }

    /// <summary>A secret: from the environment or a secret store, never logged.</summary>
    public string? Password { get; set; }

    public string? From { get; set; }

    /// <summary>Recipients, separated by <c>;</c> or <c>,</c>.</summary>
    public string? To { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public SecureSocketOptions SecureSocket() => Enum.Parse<SecureSocketOptions>(Security, ignoreCase: true);

    public IReadOnlyList<MailboxAddress> Recipients() =>
        [.. (To ?? string.Empty).Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(MailboxAddress.Parse)];
}

/// <summary>Checks the digest settings at start-up, naming the setting; never echoes the password.</summary>
public sealed class ReportOptionsValidator : IValidateOptions<ReportOptions>
{
    public ValidateOptionsResult Validate(string? name, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            failures.Add("Report:Directory must not be empty.");
        }

        if (options.Weekly.At < TimeSpan.Zero || options.Weekly.At >= TimeSpan.FromDays(1))
        {
            failures.Add($"Report:Weekly:At must be a time of day from 00:00 to 23:59 (was {options.Weekly.At}).");
        }

        if (!Enum.IsDefined(options.Weekly.Day))
        {
            failures.Add($"Report:Weekly:Day must be a weekday name such as Monday (was {options.Weekly.Day}).");
        }

        var smtp = options.Smtp;
        if (smtp.Enabled)
        {
            if (smtp.Port is < 1 or > 65535)
            {
                failures.Add($"Report:Smtp:Port must be between 1 and 65535 (was {smtp.Port}).");
            }

            if (!Enum.TryParse<SecureSocketOptions>(smtp.Security, ignoreCase: true, out _) || int.TryParse(smtp.Security, out _))
            {
                failures.Add($"Report:Smtp:Security '{smtp.Security}' is not one of StartTls, SslOnConnect, StartTlsWhenAvailable, Auto, None.");
            }

            if (string.IsNullOrWhiteSpace(smtp.From) || !IsAddress(smtp.From))
            {
                failures.Add($"Report:Smtp:From '{smtp.From}' is not an e-mail address (it is required when Report:Smtp:Host is set).");
            }

            var recipients = (smtp.To ?? string.Empty).Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (recipients.Length == 0)
            {
                failures.Add("Report:Smtp:To must name at least one recipient when Report:Smtp:Host is set.");
            }

            failures.AddRange(recipients.Where(r => !IsAddress(r)).Select(r => $"Report:Smtp:To '{r}' is not an e-mail address."));
            if (string.IsNullOrEmpty(smtp.Username) != string.IsNullOrEmpty(smtp.Password))
            {
                failures.Add("Report:Smtp:Username and Report:Smtp:Password go together: give both or neither.");
            }
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    private static bool IsAddress(string text) => MailboxAddress.TryParse(text, out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal);
}
