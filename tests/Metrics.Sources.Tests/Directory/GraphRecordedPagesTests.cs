using Metrics.Sources.Tests.Fakes;
using Metrics.Testing.Vendors;

namespace Metrics.Sources.Tests.Directory;

/// <summary>
/// The Graph directory against users-delta pages built from Microsoft Graph's delta-query documentation
/// (tests/vendor-pages/graph), including the documented answer to an expired delta token.
/// </summary>
public sealed class GraphRecordedPagesTests
{
    private const string Vendor = "graph";

    private static Dictionary<string, string?> Settings(Uri server) => new(SourceHost.FastResilience("Sources:Directory"))
    {
        ["Sources:Directory:Enabled"] = "true",
        ["Sources:Directory:Provider"] = "Graph",
        ["Sources:Directory:BaseUrl"] = server.ToString(),
        ["Sources:Directory:TokenEndpoint"] = new Uri(server, "/contoso.onmicrosoft.com/oauth2/v2.0/token").ToString(),
        ["Sources:Directory:ClientId"] = "app-id",
        ["Sources:Directory:ClientSecret"] = "app-secret",
        ["Kpi:TimeZone"] = "UTC",
    };

    [Fact]
    public async Task SyncAsync_ExpiredDeltaTokenAnswered400SyncStateNotFound_RestartsWithFullRound()
    {
        VendorHost? server = null;
        server = await VendorHost.StartAsync((ctx, req) =>
        {
            var self = server!.BaseUri;
            if (req.Path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
            {
                return VendorPages.ServeAsync(ctx, Vendor, "token.json");
            }

            // Delta links of users live seven days; after that Graph answers 400 syncStateNotFound (not 410).
            return req.Query("$deltatoken") is not null ? VendorPages.ServeAsync(ctx, Vendor, "sync-state-not-found.json", 400)
                : req.Query("$skiptoken") is not null ? VendorPages.ServeAsync(ctx, Vendor, "users-delta.page2.json", origin: self)
                : VendorPages.ServeAsync(ctx, Vendor, "users-delta.page1.json", origin: self);
        });
        await using var _ = server;
        using var host = SourceHost.Create(Settings(server.BaseUri));
        var first = await host.Sync.SyncAsync("directory", null, null, null, CancellationToken.None);
        Assert.True(first.Succeeded, first.Sources[0].Error);

        host.Clock.Now = host.Clock.Now.AddDays(8);
        var second = await host.Sync.SyncAsync("directory", null, null, null, CancellationToken.None);

        Assert.True(second.Succeeded, second.Sources[0].Error);
        var deltas = server.RequestsTo("/users/delta");
        Assert.Equal(5, deltas.Count);
        Assert.NotNull(deltas[2].Query("$deltatoken"));
        Assert.StartsWith("?$select=", deltas[3].QueryString, StringComparison.Ordinal);
        Assert.Equal(["adelev@contoso.com", "alexw@contoso.com"], (await host.Journal.LoadDirectoryAsync()).Select(r => r.Person).Distinct().Order(StringComparer.Ordinal));
    }
}
