using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Metrics.Worker.Api;
using Metrics.Worker.Application;

namespace Metrics.Worker.Tests.Api;

public sealed class PushApiEndpointsTests
{
    private static string Event(string source, string id, string time = "2026-03-03T09:00:00+01:00", string person = "alice@example.com") =>
        $$$"""{"source":"{{{source}}}","id":"{{{id}}}","type":"ai.used","time":"{{{time}}}","person":"{{{person}}}","attributes":{"tool":"chatgpt"}}""";

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadJsonAsync(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Contains(detailContains, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostEvents_NoKeyConfigured_EndpointOffAndNothingStored()
    {
        await using var host = await PushApiHost.StartAsync(withKeys: false);

        using var response = await host.PostAsync(Event("crm", "1"), PushApiHost.CrmKey);

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "PushApi:Keys");
        Assert.Equal(0, await host.Journal.CountEventsAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("crm-key-1d8e0f6a2")]
    [InlineData("not-a-configured-key")]
    public async Task PostEvents_MissingOrUnknownKey_Answers401ProblemAndStoresNothing(string? key)
    {
        await using var host = await PushApiHost.StartAsync();

        using var response = await host.PostAsync(Event("crm", "1"), key);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized, "Authorization: Bearer KEY");
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await host.Journal.CountEventsAsync());
    }

    [Fact]
    public async Task PostEvents_KeyInXApiKeyHeader_Accepted()
    {
        await using var host = await PushApiHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, PushApiEndpoints.Path) { Content = new StringContent(Event("crm", "1")) };
        request.Headers.Add("X-Api-Key", PushApiHost.CrmKey);

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await host.Journal.CountEventsAsync());
    }

    [Fact]
    public async Task PostEvents_JsonLines_Answers202WithCountsAndMarksTheDayDirty()
    {
        await using var host = await PushApiHost.StartAsync();
        var body = Event("crm", "1", "2026-03-05T10:00:00Z") + "\n\n" + Event("crm", "2", "2026-03-03T08:00:00Z") + "\r\n";

        using var response = await host.PostAsync(body, PushApiHost.CrmKey);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = await ReadJsonAsync(response);
        Assert.Equal(2, result.GetProperty("accepted").GetInt64());
        Assert.Equal(0, result.GetProperty("rejected").GetInt64());
        Assert.Equal(2, result.GetProperty("inserted").GetInt64());
        Assert.Equal(2, await host.Journal.CountEventsAsync());
        var dirty = await host.Journal.GetDirtyAsync();
        Assert.Equal(DateTimeOffset.Parse("2026-03-03T08:00:00Z", CultureInfo.InvariantCulture), dirty?.From);
    }

    [Fact]
    public async Task PostEvents_JsonArray_AcceptedAndRejectedByElementNumber()
    {
        await using var host = await PushApiHost.StartAsync();
        var body = $"[\n {Event("crm", "1")},\n 42,\n {Event("crm", "2").Replace("ai.used", "ai.invented", StringComparison.Ordinal)},\n {Event("crm", "3")}\n]";

        using var response = await host.PostAsync(body, PushApiHost.CrmKey, "application/json");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = await ReadJsonAsync(response);
        Assert.Equal(2, result.GetProperty("accepted").GetInt64());
        Assert.Equal(2, result.GetProperty("rejected").GetInt64());
        var errors = result.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt64(), e.GetProperty("reason").GetString())).ToList();
        Assert.Equal([(2L, "not a JSON object"), (3L, "unknown type 'ai.invented'")], errors);
        Assert.Equal(2, await host.Journal.CountEventsAsync());
    }

    [Fact]
    public async Task PostEvents_BrokenJsonArray_Answers400ProblemAndStoresNothing()
    {
        await using var host = await PushApiHost.StartAsync();

        using var response = await host.PostAsync("[" + Event("crm", "1") + ",", PushApiHost.CrmKey, "application/json");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "not a JSON array");
        Assert.Equal(0, await host.Journal.CountEventsAsync());
    }

    [Fact]
    public async Task PostEvents_EmptyBody_Answers400Problem()
    {
        await using var host = await PushApiHost.StartAsync();

        using var response = await host.PostAsync(" \n", PushApiHost.CrmKey);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "empty");
    }

    [Fact]
    public async Task PostEvents_BadLines_RejectedExactlyAsImportRejectsThemAndTheRestStored()
    {
        await using var host = await PushApiHost.StartAsync();
        string[] lines =
        [
            Event("crm", "1"),
            "{not json",
            Event("crm", "2", time: "2026-03-03T09:00:00"),
            Event("crm", "3", person: ""),
            "",
            Event("crm", "4").Replace("\"id\":\"4\",", "", StringComparison.Ordinal),
            "{\"source\":\"crm\",\"id\":\"5\",\"type\":\"ai.used\",\"time\":\"2026-03-03T09:00:00Z\",\"person\":\"a@b\",\"attributes\":{\"x\":\"" + new string('x', 70_000) + "\"}}",
            "[1,2]",
            Event("crm", "6"),
            Event("crm", "7", time: "1900-01-01T00:00:00Z"),
        ];
        var body = string.Join('\n', lines);
        var file = Path.Combine(Path.GetTempPath(), "metrics-push-import-" + Guid.NewGuid().ToString("N") + ".jsonl");
        await File.WriteAllTextAsync(file, body);
        var importIssues = new List<ImportIssue>();
        using var importJournal = new PushApiImportJournal();
        await new CanonicalImporter(importJournal.Journal, Microsoft.Extensions.Options.Options.Create(new Metrics.Core.Kpis.KpiOptions()), TimeProvider.System).ImportAsync(file, null, null, importIssues.Add);
        File.Delete(file);

        using var response = await host.PostAsync(body, PushApiHost.CrmKey);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = await ReadJsonAsync(response);
        var errors = result.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt64(), e.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal(importIssues.Select(i => (i.Line, i.Reason)).ToList(), errors);
        Assert.Equal([2L, 3, 4, 6, 7, 8, 10], errors.Select(e => e.Item1));
        Assert.Equal(2, result.GetProperty("accepted").GetInt64());
        Assert.Equal(7, result.GetProperty("rejected").GetInt64());
        Assert.Equal(2, await host.Journal.CountEventsAsync());
    }

    [Fact]
    public async Task PostEvents_SourceNotBoundToTheKey_Answers403AndStoresNothing()
    {
        await using var host = await PushApiHost.StartAsync();
        var body = Event("jira-webhook", "1") + "\n" + Event("crm", "2") + "\n" + Event("lms", "3");

        using var response = await host.PostAsync(body, PushApiHost.JiraKey);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "may write 'jira-webhook', 'lms' only; the body also has 'crm' (lines 2)");
        Assert.Equal(0, await host.Journal.CountEventsAsync());
    }

    [Fact]
    public async Task PostEvents_EverySourceBoundToTheKey_Accepted()
    {
        await using var host = await PushApiHost.StartAsync();

        using var response = await host.PostAsync(Event("jira-webhook", "1") + "\n" + Event("lms", "2"), PushApiHost.JiraKey);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, await host.Journal.CountEventsAsync());
    }

    [Fact]
    public async Task PostEvents_BodyOverTheLimit_Answers413WhetherSizedOrChunked()
    {
        await using var host = await PushApiHost.StartAsync(new Dictionary<string, string?> { ["PushApi:MaxBodyBytes"] = "2048" });
        var big = string.Join('\n', Enumerable.Range(0, 30).Select(i => Event("crm", i.ToString(CultureInfo.InvariantCulture))));
        Assert.True(Encoding.UTF8.GetByteCount(big) > 2048);

        using var sized = await host.PostAsync(big, PushApiHost.CrmKey);
        using var chunkedRequest = new HttpRequestMessage(HttpMethod.Post, PushApiEndpoints.Path) { Content = new UnsizedContent(Encoding.UTF8.GetBytes(big)) };
        chunkedRequest.Headers.Add("X-Api-Key", PushApiHost.CrmKey);
        using var chunked = await host.Client.SendAsync(chunkedRequest);
        using var small = await host.PostAsync(Event("crm", "small"), PushApiHost.CrmKey);

        await AssertProblemAsync(sized, HttpStatusCode.RequestEntityTooLarge, "PushApi:MaxBodyBytes (2048 bytes)");
        await AssertProblemAsync(chunked, HttpStatusCode.RequestEntityTooLarge, "PushApi:MaxBodyBytes (2048 bytes)");
        Assert.Equal(HttpStatusCode.Accepted, small.StatusCode);
        Assert.Equal(1, await host.Journal.CountEventsAsync());
    }

    [Fact]
    public async Task PostEvents_OverThePermitLimit_Answers429PerKeyWithRetryAfter()
    {
        await using var host = await PushApiHost.StartAsync(new Dictionary<string, string?> { ["PushApi:PermitLimit"] = "2", ["PushApi:Window"] = "01:00:00" });

        using var first = await host.PostAsync(Event("crm", "1"), PushApiHost.CrmKey);
        using var second = await host.PostAsync(Event("crm", "2"), PushApiHost.CrmKey);
        using var third = await host.PostAsync(Event("crm", "3"), PushApiHost.CrmKey);
        using var otherKey = await host.PostAsync(Event("lms", "4"), PushApiHost.JiraKey);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        await AssertProblemAsync(third, HttpStatusCode.TooManyRequests, "retry after");
        Assert.True(third.Headers.RetryAfter?.Delta > TimeSpan.Zero, third.Headers.RetryAfter?.ToString());
        Assert.Equal(HttpStatusCode.Accepted, otherKey.StatusCode);
        Assert.Equal(3, await host.Journal.CountEventsAsync());
    }

    [Fact]
    public async Task PostEvents_RequestsWithoutAValidKey_ShareOneBudget()
    {
        await using var host = await PushApiHost.StartAsync(new Dictionary<string, string?> { ["PushApi:PermitLimit"] = "2", ["PushApi:Window"] = "01:00:00" });

        using var a = await host.PostAsync(Event("crm", "1"), "guess-1");
        using var b = await host.PostAsync(Event("crm", "1"), "guess-2");
        using var c = await host.PostAsync(Event("crm", "1"), "guess-3");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], [a.StatusCode, b.StatusCode, c.StatusCode]);
    }

    [Fact]
    public async Task PostEvents_SameBodyRetried_SecondCountsNothingNew()
    {
        await using var host = await PushApiHost.StartAsync();
        var body = Event("crm", "1") + "\n" + Event("crm", "2");
        using var first = await host.PostAsync(body, PushApiHost.CrmKey);
        var generation = (await host.Journal.GetDirtyAsync())!.Value.Generation;
        await host.Journal.ClearDirtyAsync(generation);

        using var retry = await host.PostAsync(body, PushApiHost.CrmKey);

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var result = await ReadJsonAsync(retry);
        Assert.Equal(2, result.GetProperty("accepted").GetInt64());
        Assert.Equal(0, result.GetProperty("inserted").GetInt64());
        Assert.Equal(2, result.GetProperty("unchanged").GetInt64());
        Assert.Equal(2, await host.Journal.CountEventsAsync());
        // An identical re-delivery changes nothing, so no day needs recomputing.
        Assert.Null(await host.Journal.GetDirtyAsync());
    }

    [Fact]
    public async Task PostEvents_ManyBadLines_ListsTheFirstThousandAndCountsAll()
    {
        await using var host = await PushApiHost.StartAsync();
        var body = string.Join('\n', Enumerable.Repeat("{}", 1500));

        using var response = await host.PostAsync(body, PushApiHost.CrmKey);

        var result = await ReadJsonAsync(response);
        Assert.Equal(1500, result.GetProperty("rejected").GetInt64());
        Assert.Equal(PushApiEndpoints.MaxListedErrors, result.GetProperty("errors").GetArrayLength());
        Assert.True(result.GetProperty("errorsTruncated").GetBoolean());
    }

    private sealed class UnsizedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
