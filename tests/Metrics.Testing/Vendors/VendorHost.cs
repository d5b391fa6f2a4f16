using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Metrics.Testing.Vendors;

/// <summary>One request as the vendor host saw it.</summary>
public sealed record RecordedRequest(string Method, string Path, string QueryString, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string PathAndQuery => Path + QueryString;

    public string? Query(string name) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(QueryString).TryGetValue(name, out var v) ? v.ToString() : null;
}

/// <summary>
/// The one loopback vendor host of the tests: a real Kestrel server on 127.0.0.1 with an ephemeral port that records
/// every request. It answers either with the recorded vendor pages (<see cref="VendorPages"/>, chosen by a test's
/// handler) or, for scenarios that need a vendor's filtering and paging over many records, with the simulator's vendor
/// endpoints mapped onto it; no test writes a vendor's wire format or paging rules of its own.
/// </summary>
public sealed class VendorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private VendorHost(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    /// <summary>The base URI without the trailing slash.</summary>
    public string Base => BaseUri.AbsoluteUri.TrimEnd('/');

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public IReadOnlyList<RecordedRequest> RequestsTo(string pathEnd) =>
        Requests.Where(r => r.Path.EndsWith(pathEnd, StringComparison.Ordinal)).ToArray();

    /// <summary>Starts the host; <paramref name="handle"/> answers every request (return after writing the response).</summary>
    public static Task<VendorHost> StartAsync(Func<HttpContext, RecordedRequest, Task> handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return StartAsync(_ => { }, app => app.Run(context => handle(context, (RecordedRequest)context.Items[typeof(RecordedRequest)]!)));
    }

    /// <summary>
    /// Starts the host with the services of <paramref name="configure"/> and the endpoints of <paramref name="map"/>
    /// (the simulator's vendors over a scenario's records); requests are recorded before they reach the endpoints.
    /// </summary>
    public static async Task<VendorHost> StartAsync(Action<WebApplicationBuilder> configure, Action<WebApplication> map)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(map);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        configure(builder);
        var app = builder.Build();
        VendorHost? host = null;
        app.Use(async (context, next) =>
        {
            // The body is kept for the request check and still readable by the endpoint (a token request's form).
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
            var body = await reader.ReadToEndAsync();
            context.Request.Body.Position = 0;
            var recorded = new RecordedRequest(
                context.Request.Method,
                context.Request.Path.Value ?? "/",
                context.Request.QueryString.Value ?? string.Empty,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body);
            host!.Requests.Enqueue(recorded);
            context.Items[typeof(RecordedRequest)] = recorded;
            await next(context);
        });
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host = new VendorHost(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
        return host;
    }

    public static Task WriteJsonAsync(HttpContext context, string json, int status = 200)
    {
        ArgumentNullException.ThrowIfNull(context);
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
