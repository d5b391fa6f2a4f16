using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Metrics.Journal;
using Metrics.Testing;
using Metrics.Worker.Tests.Cli;

namespace Metrics.Reliability.Tests;

/// <summary>SIGTERM to the real executable while its recompute waits on an InfluxDB delete that never answers.</summary>
public sealed class SigtermTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    [Fact]
    public async Task Recompute_SigtermDuringAnUnansweredDelete_EndsAtOnceAndTheNextCycleRestoresEveryValue()
    {
        var company = new SyntheticCompany(5, people: 60, days: 30, eventsPerPersonDay100: 40);
        using var cli = new CliRunner(influx.Url, influx.NewDatabase());
        var files = company.WriteFiles(Path.Combine(cli.WorkDirectory, "in"));
        var load = await cli.RunAsync("import", "--directory", files.Directory, "--courses", files.Courses, "--events", files.Events, "--to", $"{company.Last:yyyy-MM-dd}");
        Assert.True(load.ExitCode == 0, load.Error);
        var before = await cli.ExportAsync(company.First, company.Last);

        await using var proxy = await HoldingProxy.StartAsync(new Uri(influx.Url), "DELETE");
        // A minute of Influx:Timeout: before the fix the process waited for it (24 s of the 30 s default in issue 10).
        using var process = new MetricsProcess(cli.WorkDirectory,
            ["recompute", "--from", $"{company.First:yyyy-MM-dd}", "--to", $"{company.Last:yyyy-MM-dd}", .. cli.Settings, "--Influx:Url", proxy.Url, "--Influx:Timeout", "00:01:00"]);
        Assert.True(await Task.WhenAny(proxy.Held, Task.Delay(TimeSpan.FromMinutes(1))) == proxy.Held, process.Error);

        var clock = Stopwatch.StartNew();
        process.Terminate();
        var exit = await process.WaitForExitAsync(TimeSpan.FromMinutes(2));
        var stopped = clock.Elapsed;

        Assert.Equal(143, exit);
        Assert.True(stopped < TimeSpan.FromSeconds(20), $"SIGTERM took {stopped.TotalSeconds:F1} s; the delete's timeout is 60 s");
        Assert.Contains("cancelled", process.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("did not answer", process.Error, StringComparison.Ordinal);
        using (var journal = new SqliteEventJournal(cli.JournalPath))
        {
            // Claimed before its delete: the cancelled range is still owed to the next cycle.
            Assert.NotNull(await journal.GetDirtyAsync());
        }

        var repair = await cli.RunAsync("sync", "--once");
        Assert.True(repair.ExitCode == 0, repair.Error);
        Campaign.AssertSameKpis(before, await cli.ExportAsync(company.First, company.Last));
    }

    /// <summary>A loopback TCP proxy to InfluxDB that stops forwarding a connection, without answering, once the client
    /// sends <c>marker</c>: a request that hangs in flight, as on a stalled server.</summary>
    private sealed class HoldingProxy : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<IDisposable> _connections = [];
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Uri _target;
        private readonly byte[] _marker;
        private Task _accepting = Task.CompletedTask;

        private HoldingProxy(Uri target, string marker) => (_target, _marker) = (target, Encoding.ASCII.GetBytes(marker));

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        public Task Held => _held.Task;

        public static Task<HoldingProxy> StartAsync(Uri target, string marker)
        {
            var proxy = new HoldingProxy(target, marker);
            proxy._listener.Start();
            proxy._accepting = proxy.AcceptAsync();
            return Task.FromResult(proxy);
        }

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    var server = new TcpClient();
                    await server.ConnectAsync(_target.Host, _target.Port, _stop.Token);
                    lock (_connections)
                    {
                        _connections.Add(client);
                        _connections.Add(server);
                    }

                    _ = PumpAsync(client.GetStream(), server.GetStream(), inspect: true);
                    _ = PumpAsync(server.GetStream(), client.GetStream(), inspect: false);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }

        private async Task PumpAsync(NetworkStream from, NetworkStream to, bool inspect)
        {
            var buffer = new byte[64 * 1024];
            try
            {
                int read;
                while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
                {
                    if (inspect && buffer.AsSpan(0, read).IndexOf(_marker) >= 0)
                    {
                        _held.TrySetResult();
                        return;
                    }

                    await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
            {
                // A side closed or the proxy stopped.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            lock (_connections)
            {
                _connections.ForEach(c => c.Dispose());
            }

            _stop.Dispose();
        }
    }
}
