using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Metrics.Core.Ports;
using Metrics.Worker.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Metrics.Worker.Tests.Api;

/// <summary>The push API with a real SQLite journal in a temp directory, served in-process by the ASP.NET Core test server.</summary>
public sealed class PushApiHost : IAsyncDisposable
{
    public const string CrmKey = "crm-key-1d8e0f6a2b";
    public const string JiraKey = "jira-key-77c41b9e03";

    private readonly WebApplication _app;
    private readonly string _directory;

    private PushApiHost(WebApplication app, string directory)
    {
        _app = app;
        _directory = directory;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public IEventJournal Journal => _app.Services.GetRequiredService<IEventJournal>();

    public static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key))).ToLowerInvariant();

    /// <summary>Two keys: "crm" may write source crm, "jira" may write jira-webhook and lms. Extra settings override.</summary>
    public static async Task<PushApiHost> StartAsync(IDictionary<string, string?>? settings = null, bool withKeys = true)
    {
        var directory = Path.Combine(Path.GetTempPath(), "metrics-push-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        var config = new Dictionary<string, string?> { ["Journal:Path"] = Path.Combine(directory, "journal.db") };
        if (withKeys)
        {
            config["PushApi:Keys:crm:Hash"] = Hash(CrmKey);
            config["PushApi:Keys:crm:Sources"] = "crm";
            config["PushApi:Keys:jira:Hash"] = Hash(JiraKey).ToUpperInvariant();
            config["PushApi:Keys:jira:Sources"] = "jira-webhook; lms";
        }

        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            config[k] = v;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.Services.AddEventJournal(builder.Configuration);
        builder.Services.AddPushApi(builder.Configuration);
        var app = builder.Build();
        app.MapPushApi();
        await app.StartAsync();
        return new PushApiHost(app, directory);
    }

    public async Task<HttpResponseMessage> PostAsync(string body, string? key, string contentType = "application/x-ndjson")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, PushApiEndpoints.Path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>A journal of its own for running the file importer next to the push API in a test.</summary>
public sealed class PushApiImportJournal : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "metrics-push-import-" + Guid.NewGuid().ToString("N"));

    public PushApiImportJournal()
    {
        Directory.CreateDirectory(_directory);
        Journal = new Metrics.Journal.SqliteEventJournal(Path.Combine(_directory, "journal.db"));
    }

    public Metrics.Journal.SqliteEventJournal Journal { get; }

    public void Dispose()
    {
        Journal.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
