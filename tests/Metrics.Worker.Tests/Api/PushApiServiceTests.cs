using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Metrics.Journal;
using Metrics.Testing;
using Metrics.Testing.Golden;
using Metrics.Worker.Api;
using Metrics.Worker.Tests.Cli;
using Metrics.Worker.Tests.Operations;
using Xunit.Sdk;

namespace Metrics.Worker.Tests.Api;

/// <summary>The real <c>metrics run</c> process with the push API on, a real InfluxDB, and <c>import</c> running alongside.</summary>
public sealed class PushApiServiceTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    private const string Key = "golden-push-5e0c9a71d2";

    [Fact]
    public async Task Run_PushRetriedWhileImportAndCyclesRun_KpisEqualTheHandComputedOnesAndNothingCountsTwice()
    {
        string[] keySettings = ["--PushApi:Keys:golden:Hash", PushApiHost.Hash(Key), "--PushApi:Keys:golden:Sources", "lms;ticketing"];
        await using var service = await ServiceUnderTest.CreateAsync(influx, simulate: false, extra: keySettings);
        var files = GoldenCompany.WriteFiles(Path.Combine(service.WorkDirectory, "in"));
        var people = await service.RunCliAsync("import", "--directory", files.Directory, "--courses", files.Courses, "--no-recompute");
        Assert.True(people.ExitCode == 0, people.Error);
        var lines = (GoldenCompany.Events + "\n" + GoldenCompany.LateEvents).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // Lowcode through import (a9's two deliveries stay in order in one file), lms and ticketing through the push API.
        var imported = Path.Combine(service.WorkDirectory, "in", "lowcode.jsonl");
        await File.WriteAllLinesAsync(imported, lines.Where(l => l.Contains("\"source\":\"lowcode\"", StringComparison.Ordinal)));
        var lms = lines.Where(l => l.Contains("\"source\":\"lms\"", StringComparison.Ordinal)).ToList();
        var ticketing = lines.Where(l => l.Contains("\"source\":\"ticketing\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(lines.Length, lms.Count + ticketing.Count + File.ReadAllLines(imported).Length);
        await service.StartAsync();

        // Each request is sent twice, as a client retrying after a lost answer would; all run at once with the import.
        string[] bodies = [string.Join('\n', lms.Take(7)), string.Join('\n', lms.Skip(7)), "[" + string.Join(",\n", ticketing) + "]"];
        var posts = bodies.Concat(bodies).Select(body => PostAsync(service, body)).ToList();
        var import = service.RunCliAsync("import", "--events", imported, "--no-recompute");
        var statuses = await Task.WhenAll(posts);
        var importResult = await import;

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s));
        Assert.True(importResult.ExitCode == 0, importResult.Error);
        await ServiceUnderTest.EventuallyAsync(
            async () => Matches(await service.ExportAsync(GoldenCompany.DayA, GoldenCompany.DayB)),
            error => error is null, TimeSpan.FromSeconds(90), "the hand-computed KPIs of both check days");
        using var journal = new SqliteEventJournal(Path.Combine(service.WorkDirectory, "journal.db"));
        // 51 distinct (source, id) keys: the retried requests and a9's second delivery replaced, never added.
        Assert.Equal(lines.Length - 1, await journal.CountEventsAsync());
        Assert.False(service.Process.HasExited, service.Process.Error);
    }

    private static async Task<HttpStatusCode> PostAsync(ServiceUnderTest service, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(service.BaseUrl + PushApiEndpoints.Path))
        {
            Content = new StringContent(body, Encoding.UTF8, body.StartsWith('[') ? "application/json" : "application/x-ndjson"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        using var response = await service.Http.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>Null when both check days equal the golden values, else the first difference.</summary>
    private static string? Matches(IReadOnlyList<ExportedPoint> exported)
    {
        try
        {
            ImportGoldenTests.AssertGolden(exported, GoldenCompany.DayA);
            ImportGoldenTests.AssertGolden(exported, GoldenCompany.DayB);
            return null;
        }
        catch (XunitException ex)
        {
            return ex.Message;
        }
    }
}
