using System.Diagnostics;
using System.Text.Json;
using Metrics.Simulator;
using Metrics.Simulator.Hosting;
using Metrics.Sources.Sync;
using Metrics.Worker.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Metrics.Bench;

/// <summary>
/// The source pull: the demo company simulator serves the vendors' wire formats on loopback HTTP and the real connectors
/// (Graph, xAPI LRS, n8n, Jira) pull all of it into a journal, as <c>sync --once</c> does. Every page body is kept on disk
/// on the way, and the limit is parsing those same pages in memory.
/// </summary>
public static class PullBench
{
    public static async Task<(long Events, long Pages, TimeSpan Elapsed, double LimitPagesPerSecond, double LimitEventsPerSecond)> RunAsync(
        int people, int days, string directory)
    {
        var options = new SimulatorOptions { Employees = people, Days = days, Departments = 12 };
        await using var simulator = await SimulatorHost.StartAsync(options);
        var pagesFile = Path.Combine(directory, "pages.bin");
        var settings = simulator.ConnectorSettings().Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value))
            .Append(new("Journal:Path", Path.Combine(directory, "pull.db")));
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Services.AddMetricsWorker(builder.Configuration);
        await using var capture = new PageCapture(pagesFile);
        builder.Services.ConfigureHttpClientDefaults(b => b.AddHttpMessageHandler(() => new CaptureHandler(capture)));
        using var host = builder.Build();

        var clock = Stopwatch.StartNew();
        var report = await host.Services.GetRequiredService<SourceSyncService>().SyncAsync(null, null, null, null, CancellationToken.None);
        var elapsed = clock.Elapsed;
        var failed = report.Sources.Where(s => !s.Succeeded).Select(s => $"{s.Source}: {s.Error}").ToList();
        if (failed.Count > 0)
        {
            throw new InvalidOperationException("the pull failed: " + string.Join("; ", failed));
        }

        await capture.DisposeAsync();
        clock.Restart();
        var pages = 0L;
        foreach (var body in PageCapture.Read(pagesFile))
        {
            using var doc = JsonDocument.Parse(body);
            Walk(doc.RootElement);
            pages++;
        }

        var parse = clock.Elapsed.TotalSeconds;
        var events = report.Sources.Sum(s => s.EventsStored);
        return (events, pages, elapsed, pages / parse, events / parse);
    }

    /// <summary>Touches every value, as deserialising into the connectors' DTOs would.</summary>
    private static void Walk(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    Walk(p.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    Walk(item);
                }

                break;
            case JsonValueKind.String:
                _ = e.GetString();
                break;
        }
    }

    /// <summary>Page bodies appended to a file, each behind its length.</summary>
    private sealed class PageCapture(string path) : IAsyncDisposable
    {
        private readonly FileStream _file = File.Create(path);
        private readonly Lock _lock = new();

        public void Add(byte[] body)
        {
            lock (_lock)
            {
                _file.Write(BitConverter.GetBytes(body.Length));
                _file.Write(body);
            }
        }

        public ValueTask DisposeAsync() => _file.DisposeAsync();

        public static IEnumerable<byte[]> Read(string path)
        {
            using var file = File.OpenRead(path);
            var length = new byte[4];
            while (file.Read(length) == 4)
            {
                var body = new byte[BitConverter.ToInt32(length)];
                file.ReadExactly(body);
                yield return body;
            }
        }
    }

    private sealed class CaptureHandler(PageCapture capture) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true)
            {
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var copy = new ByteArrayContent(body);
                foreach (var header in response.Content.Headers)
                {
                    copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                response.Content.Dispose();
                response.Content = copy;
                capture.Add(body);
            }

            return response;
        }
    }
}
