using System.Globalization;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Metrics.Worker.Reports;

/// <summary>Sends the digest as an HTML e-mail over SMTP (MailKit). The password goes to the server only, never to a log.</summary>
public sealed partial class DigestMailer(IOptions<ReportOptions> options, ILogger<DigestMailer> logger)
{
    public bool Enabled => options.Value.Smtp.Enabled;

    public async Task SendAsync(Digest digest, string html, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var smtp = options.Value.Smtp;
        if (!smtp.Enabled)
        {
            throw new InvalidOperationException("e-mail delivery needs Report:Smtp:Host (and Report:Smtp:From, Report:Smtp:To)");
        }

        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(smtp.From!));
        message.To.AddRange(smtp.Recipients());
        message.Subject = "AI readiness digest, week ending " + digest.WeekEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        message.Body = new BodyBuilder
        {
            HtmlBody = html,
            TextBody = $"The AI readiness digest of the week {digest.WeekStart:yyyy-MM-dd} to {digest.WeekEnd:yyyy-MM-dd} is the HTML part of this message.",
        }.ToMessageBody();

        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host!, smtp.Port, smtp.SecureSocket(), cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        if (logger.IsEnabled(LogLevel.Information))
        {
            Log.DigestSent(logger, digest.WeekEnd, message.To.Count, smtp.Host!, smtp.Port);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Digest of the week ending {WeekEnd} e-mailed to {Recipients} recipients through {Host}:{Port}")]
        public static partial void DigestSent(ILogger logger, DateOnly weekEnd, int recipients, string host, int port);
    }
}
