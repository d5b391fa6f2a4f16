using System.Text.Json;
using Metrics.Sources.M365Copilot;
using Metrics.Sources.Tests.Fakes;
using Metrics.Testing.Vendors;
using Microsoft.AspNetCore.Http;

namespace Metrics.Sources.Tests.M365Copilot;

/// <summary>
/// The Microsoft 365 Copilot usage connector against report pages built from the Microsoft Graph documentation of
/// getMicrosoft365CopilotUsageUserDetail (tests/vendor-pages/m365copilot), with the directory connector's Entra app.
/// </summary>
public sealed class M365CopilotRecordedPagesTests
{
    private const string Vendor = "m365copilot";
    private const string ReportPath = "/beta/reports/getMicrosoft365CopilotUsageUserDetail";

    private static Dictionary<string, string?> Settings(Uri server) => new(SourceHost.FastResilience("Sources:M365Copilot"))
    {
        ["Sources:M365Copilot:Enabled"] = "true",
        ["Sources:M365Copilot:BaseUrl"] = server.ToString(),
        // The directory's Entra app, not pulled itself: the Copilot source borrows its credentials.
        ["Sources:Directory:TokenEndpoint"] = new Uri(server, "/contoso.onmicrosoft.com/oauth2/v2.0/token").ToString(),
        ["Sources:Directory:ClientId"] = "app-id",
        ["Sources:Directory:ClientSecret"] = "app-secret",
    };

    /// <summary>Serves the token, then the report: <paramref name="report"/> decides per report request (null: the two recorded pages).</summary>
    private static async Task<VendorHost> StartAsync(Func<HttpContext, RecordedRequest, int, Task>? report = null)
    {
        VendorHost? server = null;
        var reportRequests = 0;
        server = await VendorHost.StartAsync((ctx, req) =>
        {
            if (req.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
            {
                return VendorPages.ServeAsync(ctx, "graph", "token.json");
            }

            var n = Interlocked.Increment(ref reportRequests);
            return report is not null ? report(ctx, req, n)
                : req.Query("$skiptoken") == "MDoyOjE" ? VendorPages.ServeAsync(ctx, Vendor, "usage.page2.json", origin: server!.BaseUri)
                : VendorPages.ServeAsync(ctx, Vendor, "usage.page1.json", origin: server!.BaseUri);
        });
        return server;
    }

    [Fact]
    public async Task SyncAsync_RecordedReportPages_FollowsNextLinkWithTheAppTokenAndEventsMatchExpected()
    {
        await using var server = await StartAsync();
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var result = (await host.Sync.SyncAsync(M365CopilotMapper.SourceName, null, null, null, CancellationToken.None)).Sources[0];

        Assert.True(result.Succeeded, result.Error);
        var reports = server.Requests.Where(r => r.Path.StartsWith(ReportPath, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, reports.Count);
        // The first pull reaches back InitialLookback (30 days): D7 would not cover it, so D90 is asked for.
        Assert.Equal(ReportPath + "(period='D90')", reports[0].Path);
        Assert.Equal("?$format=application/json&$skiptoken=MDoyOjE", reports[1].QueryString);
        Assert.Equal("?$format=application/json", reports[0].QueryString);
        Assert.All(reports, r => Assert.StartsWith("Bearer eyJ0eXAi", r.Headers["Authorization"], StringComparison.Ordinal));
        Assert.Contains("client_id=app-id", server.RequestsTo("/token").Single().Body, StringComparison.Ordinal);
        // Ben never used Copilot (all null), Ana's Word date is older than the lookback, Chen's unknown beta property is ignored.
        VendorPages.AssertEvents(Vendor, "expected.jsonl", host.Journal.Events);
        Assert.All(host.Journal.Events, e => Assert.Equal(e.Id.Split(':')[0], JsonDocument.Parse(e.AttributesJson).RootElement.GetProperty("tool").GetString()));
    }

    [Fact]
    public async Task SyncAsync_SameReportReadAgain_NothingNewAndOneTokenForBoth()
    {
        await using var server = await StartAsync();
        using var host = SourceHost.Create(Settings(server.BaseUri));
        await host.Sync.SyncAsync(M365CopilotMapper.SourceName, null, null, null, CancellationToken.None);
        var first = host.Journal.Events.Count;

        host.Clock.Now = host.Clock.Now.AddMinutes(30);
        var again = (await host.Sync.SyncAsync(M365CopilotMapper.SourceName, null, null, null, CancellationToken.None)).Sources[0];

        Assert.True(again.Succeeded, again.Error);
        Assert.Equal(0, again.Inserted);
        Assert.Equal(first, host.Journal.Events.Count);
        Assert.Single(server.RequestsTo("/token"));
        // With a checkpoint the pull re-reads the 7-day lookback only.
        Assert.Equal(ReportPath + "(period='D7')", server.Requests.Last().Path);
    }

    [Fact]
    public async Task SyncAsync_ConcealedUserNames_FailsWithTheFixInTheMessageAndStoresNothing()
    {
        await using var server = await StartAsync((ctx, _, _) => VendorPages.ServeAsync(ctx, Vendor, "usage.concealed.json"));
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var result = (await host.Sync.SyncAsync(M365CopilotMapper.SourceName, null, null, null, CancellationToken.None)).Sources[0];

        Assert.False(result.Succeeded);
        Assert.Contains("concealed user names", result.Error, StringComparison.Ordinal);
        Assert.Contains("displayConcealedNames", result.Error, StringComparison.Ordinal);
        Assert.Empty(host.Journal.Events);
    }

    [Fact]
    public async Task SyncAsync_Throttled429WithRetryAfter_RetriedAndEverythingStored()
    {
        VendorHost? self = null;
        await using var server = await StartAsync((ctx, req, n) =>
        {
            if (n == 1)
            {
                ctx.Response.Headers.RetryAfter = "1";
                return VendorPages.ServeAsync(ctx, Vendor, "throttled.json", 429);
            }

            return req.Query("$skiptoken") is not null ? VendorPages.ServeAsync(ctx, Vendor, "usage.page2.json", origin: self!.BaseUri)
                : VendorPages.ServeAsync(ctx, Vendor, "usage.page1.json", origin: self!.BaseUri);
        });
        self = server;
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var result = (await host.Sync.SyncAsync(M365CopilotMapper.SourceName, null, null, null, CancellationToken.None)).Sources[0];

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(3, server.Requests.Count(r => r.Path.StartsWith(ReportPath, StringComparison.Ordinal)));
        VendorPages.AssertEvents(Vendor, "expected.jsonl", host.Journal.Events);
    }

    [Fact]
    public async Task SyncAsync_NextLinkToAnotherHost_StoresThePageThenFails()
    {
        await using var server = await StartAsync((ctx, _, _) => VendorPages.ServeAsync(ctx, Vendor, "usage.page1.json"));
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var result = (await host.Sync.SyncAsync(M365CopilotMapper.SourceName, null, null, null, CancellationToken.None)).Sources[0];

        // The recorded nextLink names graph.microsoft.com, not the configured host: the token is never sent there.
        Assert.False(result.Succeeded);
        Assert.Contains("another host", result.Error, StringComparison.Ordinal);
        Assert.Equal(3, host.Journal.Events.Count);
    }

    [Theory]
    [InlineData("D7", 3, "D7")]
    [InlineData("D7", 8, "D30")]
    [InlineData("D30", 3, "D30")]
    [InlineData("D7", 181, "ALL")]
    public void PeriodFor_DaysToCover_SmallestPeriodNotBelowTheConfigured(string configured, int days, string expected)
    {
        Assert.Equal(expected, M365CopilotSource.PeriodFor(configured, days));
    }

    [Theory]
    [InlineData("DC8C64D6EC3A3AA17481D7E5EB5B68A6", true)]
    [InlineData("ana@contoso.com", false)]
    [InlineData("DC8C64D6EC3A3AA17481D7E5EB5B68A", false)]
    [InlineData(null, false)]
    public void IsConcealed_UserPrincipalName_HashOnly(string? upn, bool concealed)
    {
        Assert.Equal(concealed, M365CopilotMapper.IsConcealed(upn));
    }
}
