using System.CommandLine;
using Metrics.Worker.Hosting;
using Metrics.Worker.Reports;

namespace Metrics.Worker.Cli;

/// <summary><c>report</c>: the weekly executive digest from the stored KPIs, as one self-contained HTML file and/or an e-mail.</summary>
public static class ReportCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var date = new Option<string?>("--date") { Description = "Last day of the week (yyyy-MM-dd); default yesterday in the org zone." };
        var toFile = new Option<string?>("--to-file") { Description = "Write the HTML here (default: Report:Directory/ai-readiness-digest-<date>.html)." };
        var email = new Option<bool>("--email") { Description = "E-mail it through Report:Smtp:* (no file unless --to-file is given too)." };
        var command = new Command("report", "Write the weekly digest (headline KPIs with 12-week trends, department ranking, data health) as one HTML file.")
        {
            date, toFile, email,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => MetricsCli.Guarded(error, async () =>
        {
            var day = MetricsCli.ParseDate(parse.GetValue(date), "--date");
            using var host = await WorkerHost.StartCliHostAsync([.. parse.UnmatchedTokens], ct);
            var digests = host.Services.GetRequiredService<DigestService>();
            var mailer = host.Services.GetRequiredService<DigestMailer>();
            var send = parse.GetValue(email);
            if (send && !mailer.Enabled)
            {
                throw new CliException("report --email needs Report:Smtp:Host, Report:Smtp:From and Report:Smtp:To");
            }

            var (digest, html) = await digests.BuildAsync(day ?? digests.DefaultWeekEnd, ct);
            if (!send || parse.GetValue(toFile) is not null)
            {
                await output.WriteLineAsync("digest: " + await digests.WriteAsync(digest, html, parse.GetValue(toFile), ct));
            }

            if (send)
            {
                await mailer.SendAsync(digest, html, ct);
                await output.WriteLineAsync($"digest e-mailed to {host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReportOptions>>().Value.Smtp.Recipients().Count} recipients");
            }

            return MetricsCli.Ok;
        }));
        return command;
    }
}
