using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Metrics.Sources.Tests.Fakes;

/// <summary>One request as the fake vendor saw it.</summary>
public sealed record RecordedRequest(string Method, string Path, string QueryString, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string PathAndQuery => Path + QueryString;

    public string? Query(string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(QueryString).TryGetValue(name, out var v) ? v.ToString() : null;
}

/// <summary>A real Kestrel server on 127.0.0.1 with an ephemeral port, serving a vendor's wire format from a test's handler.</summary>
public sealed class VendorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private VendorServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public IReadOnlyList<RecordedRequest> RequestsTo(string pathEnd) =>
        Requests.Where(r => r.Path.EndsWith(pathEnd, StringComparison.Ordinal)).ToArray();

    /// <summary>Starts the server; <paramref name="handle"/> answers every request (return after writing the response).</summary>
    public static async Task<VendorServer> StartAsync(Func<HttpContext, RecordedRequest, Task> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        VendorServer? server = null;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var recorded = new RecordedRequest(
                context.Request.Method,
                context.Request.Path.Value ?? "/",
                context.Request.QueryString.Value ?? string.Empty,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body);
            server!.Requests.Enqueue(recorded);
            await handle(context, recorded);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new VendorServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
        return server;
    }

    public static Task WriteJsonAsync(HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
