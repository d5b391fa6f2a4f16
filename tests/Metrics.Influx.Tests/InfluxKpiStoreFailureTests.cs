using System.Net;
using System.Net.Sockets;
using Metrics.Testing;

namespace Metrics.Influx.Tests;

/// <summary>Failures the caller must see as <see cref="KpiStoreException"/>: no server, a silent server, a server that went away.</summary>
public sealed class InfluxKpiStoreFailureTests
{
    private const string Token = "secret-token-value";

    private static string UnusedUrl()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}";
    }

    [Fact]
    public async Task ReplaceRangeAsync_UnreachableUrl_ThrowsNamingTheUrlButNotTheToken()
    {
        var url = UnusedUrl();
        using var store = Stores.Create(url, o => o.Token = Token);

        var ex = await Assert.ThrowsAsync<KpiStoreException>(() => store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, SamplePoints.AcrossBerlinDst()));

        Assert.Contains(url, ex.Message, StringComparison.Ordinal);
        Assert.Contains("unreachable", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, ex.ToString(), StringComparison.Ordinal);
        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task ReadAsync_UnreachableUrl_Throws()
    {
        var url = UnusedUrl();
        using var store = Stores.Create(url);

        var ex = await Assert.ThrowsAsync<KpiStoreException>(() => store.ReadAllAsync(SamplePoints.First, SamplePoints.Last));

        Assert.Contains(url, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureReadyAsync_UnreachableUrl_ThrowsAndTriesAgainNextTime()
    {
        using var store = Stores.Create(UnusedUrl());

        await Assert.ThrowsAsync<KpiStoreException>(() => store.EnsureReadyAsync());
        await Assert.ThrowsAsync<KpiStoreException>(() => store.DetectServerAsync());
    }

    [Fact]
    public async Task ReplaceRangeAsync_ServerNeverAnswers_ThrowsAfterTheTimeout()
    {
        // A socket that accepts connections and never says a word.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(await silent.AcceptSocketAsync(stop.Token));
                }
            }
            catch (OperationCanceledException)
            {
                // Test over.
            }
        });
        var url = $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        using var store = Stores.Create(url, o => o.Timeout = TimeSpan.FromSeconds(1));

        var ex = await Assert.ThrowsAsync<KpiStoreException>(() => store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, SamplePoints.AcrossBerlinDst()));

        await stop.CancelAsync();
        await accepting;
        accepted.ForEach(s => s.Dispose());
        Assert.Contains("did not answer within 00:00:01", ex.Message, StringComparison.Ordinal);
        Assert.Contains(url, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplaceRangeAsync_ServerStopped_ThrowsAndWorksAgainAfterRestart()
    {
        await using var influx = new InfluxDbProcess();
        await influx.StartAsync();
        var database = influx.NewDatabase();
        using var store = Stores.Create(influx.Url, o => o.Database = database);
        await store.EnsureReadyAsync();
        var points = SamplePoints.AcrossBerlinDst();
        await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, points);

        await influx.StopAsync();
        var ex = await Assert.ThrowsAsync<KpiStoreException>(() => store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, points));
        await influx.StartAsync();
        var written = await store.ReplaceRangeAsync(SamplePoints.First, SamplePoints.Last, points);

        Assert.Contains(influx.Url, ex.Message, StringComparison.Ordinal);
        Assert.Equal(points.Count, written);
        Assert.Equal(SamplePoints.InReadOrder(points), await store.ReadAllAsync(SamplePoints.First, SamplePoints.Last));
    }
}
