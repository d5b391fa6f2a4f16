using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Metrics.Core.Kpis;
using Metrics.Simulator;
using Metrics.Simulator.Hosting;
using Metrics.Testing;
using Metrics.Testing.Golden;
using Metrics.Worker.Reports;
using Metrics.Worker.Tests.Cli;
using MimeKit;
using SkiaSharp;

namespace Metrics.Worker.Tests.Reports;

/// <summary>The <c>report</c> command end to end: KPIs stored in a real InfluxDB, the digest opened in a real browser, mailed to a real SMTP conversation.</summary>
public sealed partial class ReportCommandTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    [Fact]
    public async Task Report_SimulatedCompany_ChromiumShowsTheStoredNumbersWithoutConsoleErrors()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Employees = 60, Days = 100, Seed = 7 });
        var settings = simulator.ConnectorSettings().SelectMany(kv => new[] { "--" + kv.Key, kv.Value }).ToList();
        using var cli = new CliRunner(influx.Url, influx.NewDatabase(), extra: [.. settings, "--Kpi:MinimumGroupSize", "5", "--Kpi:TimeZone", simulator.Options.TimeZone]);
        var sync = await cli.RunAsync("sync", "--once");
        Assert.True(sync.ExitCode is 0 or 2, sync.Error);
        var week = simulator.Options.Range(TimeProvider.System).End.AddDays(-1);
        var file = Path.Combine(cli.WorkDirectory, "digest.html");

        var report = await cli.RunAsync("report", "--date", $"{week:yyyy-MM-dd}", "--to-file", file);

        Assert.True(report.ExitCode == 0, report.Error);
        Assert.Equal("digest: " + file, report.Output.Trim());
        var html = await File.ReadAllTextAsync(file);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"(src|href)\s*=\s*""(https?:)?//", html);

        var shot = Path.Combine(cli.WorkDirectory, "digest.png");
        var (_, shotLog) = await Chromium.RunAsync(file, "--screenshot=" + shot);
        Assert.True(File.Exists(shot), shotLog);
        Assert.Empty(Chromium.ConsoleMessages(shotLog));
        AssertNotBlank(shot);

        var (dom, domLog) = await Chromium.RunAsync(file, "--dump-dom");
        Assert.Empty(Chromium.ConsoleMessages(domLog));
        var exported = (await cli.RunAsync("kpis", "--from", $"{week:yyyy-MM-dd}", "--to", $"{week:yyyy-MM-dd}", "--format", "jsonl")).Output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(r => !r.TryGetProperty("tool", out _))
            .ToDictionary(
                r => (Department: r.GetProperty("department").GetString() ?? "null", Kpi: r.GetProperty("kpi").GetString()!, Window: r.GetProperty("window").GetString()!),
                r => r.GetProperty("value").GetRawText());
        var shown = ShownPoints(dom);
        Assert.Equal(DigestBuilder.HeadlineKpis.Count, shown.Count(p => p.Department == "null" && DigestBuilder.HeadlineKpis.Contains((p.Kpi, p.Window))));
        Assert.Contains(shown, p => p.Department != "null" && p.Kpi == "headcount");
        foreach (var p in shown)
        {
            Assert.Equal($"{week:yyyy-MM-dd}", p.Date);
            Assert.True(exported.TryGetValue((p.Department, p.Kpi, p.Window), out var value), $"{p} is not in the export");
            Assert.Equal(value, p.Value);
            Assert.Equal(DigestHtml.Format(KpiCatalog.Find(p.Kpi)!, double.Parse(value, CultureInfo.InvariantCulture)), p.Text);
        }

        // Departments below the minimum group size are merged in the store; the digest never shows the merged group.
        Assert.DoesNotContain(KpiCatalog.SmallGroups, dom, StringComparison.Ordinal);
        Assert.All(shown.Where(p => p.Kpi == "headcount"), p => Assert.True(int.Parse(p.Value, CultureInfo.InvariantCulture) >= 5, p.ToString()));
    }

    [Fact]
    public async Task Report_Email_SmtpSinkReceivesTheDigestAsHtmlAndNothingPrintsTheSecret()
    {
        await using var sink = new SmtpSink();
        using var cli = new CliRunner(influx.Url, influx.NewDatabase(), extra:
        [
            "--Report:Smtp:Host", "127.0.0.1", "--Report:Smtp:Port", sink.Port.ToString(CultureInfo.InvariantCulture), "--Report:Smtp:Security", "None",
            "--Report:Smtp:Username", "digest", "--Report:Smtp:Password", "s3cret-Pa55", "--Report:Smtp:From", "metrics@example.org",
            "--Report:Smtp:To", "ceo@example.org; cto@example.org",
        ]);
        await ImportGoldenAsync(cli);

        var result = await cli.RunAsync("report", "--date", $"{GoldenCompany.DayB:yyyy-MM-dd}", "--email");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("digest e-mailed to 2 recipients", result.Output.Trim());
        var mail = Assert.Single(sink.Messages);
        Assert.Equal("<metrics@example.org>", mail.From);
        Assert.Equal(["<ceo@example.org>", "<cto@example.org>"], mail.To);
        Assert.Equal("\0digest\0s3cret-Pa55", mail.Credentials);
        using var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(mail.Data)));
        Assert.Equal($"AI readiness digest, week ending {GoldenCompany.DayB:yyyy-MM-dd}", message.Subject);
        Assert.Contains($"data-date=\"{GoldenCompany.DayB:yyyy-MM-dd}\" data-kpi=\"ai_usage_rate\" data-window=\"28d\"", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<svg", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-Pa55", result.Output + result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Environment.CurrentDirectory, "reports", DigestService.FileName(GoldenCompany.DayB))));
    }

    [Fact]
    public async Task Report_SmtpHostWithoutRecipients_FailsNamingTheSettingWithoutTheSecret()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase(), extra:
            ["--Report:Smtp:Host", "127.0.0.1", "--Report:Smtp:From", "metrics@example.org", "--Report:Smtp:Username", "u", "--Report:Smtp:Password", "s3cret-Pa55"]);

        var result = await cli.RunAsync("report", "--email");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("configuration error: Report:Smtp:To must name at least one recipient", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-Pa55", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_EmailWithoutSmtp_FailsNamingTheSettings()
    {
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());

        var result = await cli.RunAsync("report", "--email");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Report:Smtp:Host", result.Error, StringComparison.Ordinal);
    }

    private static async Task ImportGoldenAsync(CliRunner cli)
    {
        var files = GoldenCompany.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        var import = await cli.RunAsync("import", "--directory", files.Directory, "--courses", files.Courses, "--events", files.Events, "--to", $"{GoldenCompany.DayB:yyyy-MM-dd}");
        Assert.True(import.ExitCode == 0, import.Error);
    }

    /// <summary>A screenshot is not blank when a good part of it differs from its background and it has several colours.</summary>
    private static void AssertNotBlank(string png)
    {
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        var background = bitmap.GetPixel(bitmap.Width - 1, bitmap.Height - 1);
        var colours = new HashSet<SKColor>();
        var different = 0;
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var pixel = bitmap.GetPixel(x, y);
                colours.Add(pixel);
                if (pixel != background)
                {
                    different++;
                }
            }
        }

        var share = different / (bitmap.Width / 2.0 * (bitmap.Height / 2.0));
        Assert.True(share > 0.05, $"only {share:P1} of the screenshot differs from its background");
        Assert.True(colours.Count > 10, $"only {colours.Count} colours in the screenshot");
    }

    private sealed record ShownPoint(string Date, string Department, string Kpi, string Window, string Value, string Text);

    private static List<ShownPoint> ShownPoints(string dom) =>
    [
        .. ShownElement().Matches(dom).Select(m =>
        {
            var attributes = Attribute().Matches(m.Groups["attributes"].Value).ToDictionary(a => a.Groups[1].Value, a => WebUtility.HtmlDecode(a.Groups[2].Value), StringComparer.Ordinal);
            return new ShownPoint(
                attributes["date"],
                attributes.GetValueOrDefault("department", "null"),
                attributes["kpi"],
                attributes["window"],
                attributes["value"],
                WebUtility.HtmlDecode(m.Groups["text"].Value));
        }),
    ];

    [GeneratedRegex("<\\w+(?<attributes>[^>]*data-kpi=\"[^\"]*\"[^>]*)>(?<text>[^<]*)<")]
    private static partial Regex ShownElement();

    [GeneratedRegex("data-(\\w+)=\"([^\"]*)\"")]
    private static partial Regex Attribute();
}
