using Metrics.Core.Events;
using Metrics.Core.Ports;
using Metrics.Sources.Sync;
using Metrics.Sources.Tests.Fakes;
using Metrics.Testing.Vendors;
using Microsoft.AspNetCore.Http;
using static Metrics.Testing.Vendors.XapiPages;

namespace Metrics.Sources.Tests.Lms;

public sealed class XapiSourceTests
{
    private static Dictionary<string, string?> Settings(Uri server, Action<Dictionary<string, string?>>? extra = null)
    {
        var s = SourceHost.FastResilience("Sources:Lms");
        s["Sources:Lms:Enabled"] = "true";
        s["Sources:Lms:BaseUrl"] = new Uri(server, "/xapi").ToString();
        s["Sources:Lms:Username"] = "key";
        s["Sources:Lms:Password"] = "s3cret";
        s["Sources:Lms:CourseActivityPrefixes:0"] = CoursePrefix;
        s["Sources:Lms:Overlap"] = "00:00:05";
        extra?.Invoke(s);
        return s;
    }

    [Fact]
    public async Task SyncAsync_TwoPagesLinkedByMore_FollowsRelativeLinkFromOriginAndStoresEvents()
    {
        await using var server = await VendorHost.StartAsync((ctx, req) =>
        {
            ctx.Response.Headers["X-Experience-API-Version"] = "1.0.3";
            ctx.Response.Headers["X-Experience-API-Consistent-Through"] = "2026-03-02T12:00:00.000Z";
            return req.Query("more") is null
                ? VendorHost.WriteJsonAsync(ctx, Result(
                    "/xapi/statements?more=p2%2Fabc&sig=x+y",
                    Statement("6690e6c9-3ef0-4ed3-8b37-7f3964730bee", Adl + "registered", CoursePrefix + "ai-basics", "2026-03-01T09:00:00.000Z"),
                    Statement("5a6e2b5c-1e35-4d1a-9a8a-1d4c1f5b0b01", Adl + "completed", CoursePrefix + "ai-basics", "2026-03-02T09:15:00.120+01:00", "2026-03-02T09:10:00+01:00")))
                : VendorHost.WriteJsonAsync(ctx, Result(
                    null,
                    Statement("0b6ad8c0-4a8e-4b8b-8d1e-2f4e4d6a7c11", Adl + "passed", CoursePrefix + "ai-ethics", "2026-03-03T10:00:00.000Z")));
        });
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var progress = new List<SyncProgress>();
        var report = await host.Sync.SyncAsync("lms", null, null, new SynchronousProgress(progress.Add), CancellationToken.None);

        var lms = Assert.Single(report.Sources);
        Assert.True(lms.Succeeded, lms.Error);
        Assert.Equal(2, lms.Pages);
        Assert.Equal([1, 2], progress.Select(p => p.Pages));
        Assert.Equal([2L, 3L], progress.Select(p => p.Events));
        Assert.Equal(3, lms.Inserted);
        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.Equal("/xapi/statements", requests[0].Path);
        Assert.Equal("true", requests[0].Query("ascending"));
        Assert.Equal("2026-02-08T12:00:00.000Z", requests[0].Query("since"));
        Assert.Equal("2026-03-10T12:00:00.000Z", requests[0].Query("until"));
        Assert.Equal("/xapi/statements?more=p2%2Fabc&sig=x+y", requests[1].PathAndQuery);
        Assert.All(requests, r => Assert.Equal("1.0.3", r.Headers["X-Experience-API-Version"]));
        Assert.All(requests, r => Assert.Equal("Basic a2V5OnMzY3JldA==", r.Headers["Authorization"]));

        var events = host.Journal.Events.ToDictionary(e => e.Id);
        var completed = events["5a6e2b5c-1e35-4d1a-9a8a-1d4c1f5b0b01"];
        Assert.Equal(EventType.TrainingCompleted, completed.Type);
        Assert.Equal("ai-basics", completed.Subject);
        Assert.Equal("ana.silva@example.com", completed.Person);
        Assert.Equal(DateTimeOffset.Parse("2026-03-02T09:10:00+01:00", System.Globalization.CultureInfo.InvariantCulture), completed.Time);
        Assert.Equal(EventType.TrainingEnrolled, events["6690e6c9-3ef0-4ed3-8b37-7f3964730bee"].Type);
        Assert.Equal("ai-ethics", events["0b6ad8c0-4a8e-4b8b-8d1e-2f4e4d6a7c11"].Subject);
        Assert.Equal("lms", completed.Source);

        // The last statement was stored after Consistent-Through: the checkpoint stops there.
        Assert.Equal("2026-03-02T12:00:00.0000000+00:00", lms.Checkpoint);
    }

    [Fact]
    public async Task SyncAsync_SecondRun_StartsAtCheckpointMinusOverlapAndDedupes()
    {
        var page = Result(null,
            Statement("a1", Adl + "completed", CoursePrefix + "ai-basics", "2026-03-05T08:00:00.000Z"),
            Statement("a2", Adl + "completed", CoursePrefix + "ai-prompting", "2026-03-05T08:00:00.000Z"));
        await using var server = await VendorHost.StartAsync((ctx, _) =>
        {
            ctx.Response.Headers["X-Experience-API-Consistent-Through"] = "2026-03-10T12:00:00Z";
            return VendorHost.WriteJsonAsync(ctx, page);
        });
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var first = await host.Sync.SyncAsync(null, null, null, null, CancellationToken.None);
        var second = await host.Sync.SyncAsync(null, null, null, null, CancellationToken.None);

        Assert.Equal(2, first.Sources[0].Inserted);
        Assert.Equal(0, second.Sources[0].Inserted);
        Assert.Equal(2, second.Sources[0].Unchanged);
        Assert.Equal(2, host.Journal.Events.Count);
        Assert.Equal("2026-03-05T07:59:55.000Z", server.Requests.Last().Query("since"));
    }

    [Fact]
    public async Task SyncAsync_VoidingStatement_ProducesRetractionOfTarget()
    {
        await using var server = await VendorHost.StartAsync((ctx, _) => VendorHost.WriteJsonAsync(ctx, Result(null,
            Voiding("e05aa883-acaf-40ad-bf54-02c8ce485fb0", "5a6e2b5c-1e35-4d1a-9a8a-1d4c1f5b0b01", "2026-03-06T10:00:00Z"))));
        using var host = SourceHost.Create(Settings(server.BaseUri));

        await host.Sync.SyncAsync("lms", null, null, null, CancellationToken.None);

        var retraction = Assert.Single(host.Journal.Events);
        Assert.Equal(EventType.EventRetracted, retraction.Type);
        Assert.Equal("5a6e2b5c-1e35-4d1a-9a8a-1d4c1f5b0b01", retraction.Subject);
        Assert.Equal("e05aa883-acaf-40ad-bf54-02c8ce485fb0", retraction.Id);
    }

    [Theory]
    [InlineData(429, "1")]
    [InlineData(503, null)]
    [InlineData(500, null)]
    [InlineData(408, null)]
    public async Task SyncAsync_TransientStatusThenSuccess_Retries(int status, string? retryAfter)
    {
        var calls = 0;
        await using var server = await VendorHost.StartAsync((ctx, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                if (retryAfter is not null)
                {
                    ctx.Response.Headers["Retry-After"] = retryAfter;
                }

                return VendorHost.WriteJsonAsync(ctx, "{\"error\":\"busy\"}", status);
            }

            return VendorHost.WriteJsonAsync(ctx, Result(null, Statement("r1", Adl + "completed", CoursePrefix + "c1", "2026-03-05T08:00:00Z")));
        });
        using var host = SourceHost.Create(Settings(server.BaseUri));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var report = await host.Sync.SyncAsync("lms", null, null, null, CancellationToken.None);

        Assert.True(report.Succeeded, report.Sources[0].Error);
        Assert.Equal(2, calls);
        Assert.Single(host.Journal.Events);
        if (retryAfter is not null)
        {
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"Retry-After was not honoured: {watch.Elapsed}");
        }
    }

    [Fact]
    public async Task SyncAsync_FirstAttemptTimesOut_RetriesAndSucceeds()
    {
        var calls = 0;
        await using var server = await VendorHost.StartAsync(async (ctx, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            await VendorHost.WriteJsonAsync(ctx, Result(null, Statement("t1", Adl + "completed", CoursePrefix + "c1", "2026-03-05T08:00:00Z")));
        });
        using var host = SourceHost.Create(Settings(server.BaseUri, s => s["Sources:Lms:Resilience:AttemptTimeout"] = "00:00:00.300"));

        var report = await host.Sync.SyncAsync("lms", null, null, null, CancellationToken.None);

        Assert.True(report.Succeeded, report.Sources[0].Error);
        Assert.True(calls >= 2);
        Assert.Single(host.Journal.Events);
    }

    [Fact]
    public async Task SyncAsync_AlwaysFailing_ReportsErrorWithoutThrowing()
    {
        await using var server = await VendorHost.StartAsync((ctx, _) => VendorHost.WriteJsonAsync(ctx, "{}", 502));
        using var host = SourceHost.Create(Settings(server.BaseUri, s => s["Sources:Lms:Resilience:MaxRetries"] = "1"));

        var report = await host.Sync.SyncAsync("lms", null, null, null, CancellationToken.None);

        var lms = report.Sources[0];
        Assert.False(lms.Succeeded);
        Assert.Contains("HTTP 502", lms.Error, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
        Assert.Null(await new JournalState(host.Journal).GetCheckpointAsync("lms"));
    }

    [Fact]
    public async Task SyncAsync_MalformedSecondPage_KeepsFirstPageAndItsCheckpoint()
    {
        await using var server = await VendorHost.StartAsync((ctx, req) => req.Query("more") is null
            ? VendorHost.WriteJsonAsync(ctx, Result("/xapi/statements?more=2", Statement("m1", Adl + "completed", CoursePrefix + "c1", "2026-03-05T08:00:00Z")))
            : VendorHost.WriteJsonAsync(ctx, "{\"statements\":[{\"id\":\"m2\",\"verb\":"));
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var report = await host.Sync.SyncAsync("lms", null, null, null, CancellationToken.None);

        var lms = report.Sources[0];
        Assert.False(lms.Succeeded);
        Assert.Contains("malformed JSON", lms.Error, StringComparison.Ordinal);
        Assert.Equal(1, lms.Pages);
        Assert.Equal("m1", Assert.Single(host.Journal.Events).Id);
        Assert.Equal("2026-03-05T08:00:00.0000000+00:00", await host.Journal.GetStateAsync("checkpoint:lms"));
    }

    [Fact]
    public async Task SyncAsync_ConfiguredPlausibleTimeRange_RejectsWhatImportWouldReject()
    {
        // Kpi:EarliestTime/Kpi:MaxFutureSkew are the one range every entry point applies; before, the sync kept its own
        // 2000-01-01 and 2 days and stored what import refused.
        await using var server = await VendorHost.StartAsync((ctx, _) => VendorHost.WriteJsonAsync(ctx, Result(null,
            Statement("early", Adl + "completed", CoursePrefix + "c1", "2026-03-05T08:00:00Z", "2026-02-28T23:59:59Z"),
            Statement("ahead", Adl + "completed", CoursePrefix + "c1", "2026-03-05T08:00:00Z", "2026-03-10T13:00:01Z"),
            Statement("ok-1", Adl + "completed", CoursePrefix + "c1", "2026-03-05T08:00:00Z", "2026-03-01T00:00:00Z"),
            Statement("ok-2", Adl + "completed", CoursePrefix + "c1", "2026-03-05T08:00:00Z", "2026-03-10T12:59:59Z"))));
        using var host = SourceHost.Create(Settings(server.BaseUri, s =>
        {
            s["Kpi:EarliestTime"] = "2026-03-01T00:00:00Z";
            s["Kpi:MaxFutureSkew"] = "01:00:00";
        }));

        var report = await host.Sync.SyncAsync("lms", null, null, null, CancellationToken.None);

        var lms = report.Sources[0];
        Assert.True(lms.Succeeded, lms.Error);
        Assert.Equal(["ok-1", "ok-2"], host.Journal.Events.Select(e => e.Id).Order(StringComparer.Ordinal));
        var bad = lms.BadItems.ToDictionary(b => b.ItemId, b => b.Reason);
        Assert.Equal(2, bad.Count);
        Assert.EndsWith("(Kpi:EarliestTime)", bad["early"], StringComparison.Ordinal);
        Assert.EndsWith("(Kpi:MaxFutureSkew)", bad["ahead"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncAsync_MalformedAndBadItems_CountedWithIdsOthersStored()
    {
        var malformed = Statement("bad-1", Adl + "completed", CoursePrefix + "c1", "2026-03-05T08:00:00Z");
        malformed.Set("timestamp", "yesterday");
        var noActor = Statement("bad-2", Adl + "completed", CoursePrefix + "c1", "2026-03-05T08:00:00Z");
        noActor.Remove("actor");
        var future = Statement("bad-3", Adl + "completed", CoursePrefix + "c1", "2026-03-05T08:00:00Z", "2026-03-20T08:00:00Z");
        var ancient = Statement("bad-4", Adl + "completed", CoursePrefix + "c1", "2026-03-05T08:00:00Z", "1999-12-31T08:00:00Z");
        var unknownVerb = Statement("bad-5", "http://example.com/verbs/juggled", CoursePrefix + "c1", "2026-03-05T08:00:00Z");
        var ignoredVerb = Statement("ign-1", Adl + "experienced", CoursePrefix + "c1", "2026-03-05T08:00:00Z");
        var notCourse = Statement("ign-2", Adl + "completed", "https://other.example.com/quiz/1", "2026-03-05T08:00:00Z", type: "http://adlnet.gov/expapi/activities/assessment");
        await using var server = await VendorHost.StartAsync((ctx, _) => VendorHost.WriteJsonAsync(ctx, Result(null,
            malformed, noActor, future, ancient, unknownVerb, ignoredVerb, notCourse,
            Statement("ok-1", Adl + "completed", CoursePrefix + "c1", "2026-03-05T08:00:01Z"))));
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var report = await host.Sync.SyncAsync("lms", null, null, null, CancellationToken.None);

        var lms = report.Sources[0];
        Assert.True(lms.Succeeded, lms.Error);
        Assert.Equal("ok-1", Assert.Single(host.Journal.Events).Id);
        Assert.Equal(4, lms.BadItemCount);
        var bad = lms.BadItems.ToDictionary(b => b.ItemId, b => b.Reason);
        Assert.Equal("timestamp is not an ISO 8601 time", bad["bad-1"]);
        Assert.Equal("missing actor identity", bad["bad-2"]);
        Assert.Equal("time 2026-03-20T08:00:00+00:00 is more than 2.00:00:00 in the future (Kpi:MaxFutureSkew)", bad["bad-3"]);
        Assert.Equal("time 1999-12-31T08:00:00+00:00 is before the earliest accepted time 2000-01-01T00:00:00Z (Kpi:EarliestTime)", bad["bad-4"]);
        // A verb the configuration does not map is normal data: ignored, not bad.
        Assert.False(bad.ContainsKey("bad-5"));
        Assert.Equal(3, lms.Ignored.Values.Sum());
        Assert.Equal(8, lms.Items);
    }

    [Fact]
    public async Task SyncAsync_OversizedResponse_FailsThatPageOnly()
    {
        var statements = Enumerable.Range(0, 50).Select(i => (System.Text.Json.Nodes.JsonNode)Statement($"s{i}", Adl + "completed", CoursePrefix + "c1", "2026-03-05T08:00:00Z")).ToArray();
        await using var server = await VendorHost.StartAsync((ctx, _) => VendorHost.WriteJsonAsync(ctx, Result(null, statements)));
        using var host = SourceHost.Create(Settings(server.BaseUri, s => s["Sources:Lms:MaxResponseBytes"] = "4096"));

        var report = await host.Sync.SyncAsync("lms", null, null, null, CancellationToken.None);

        Assert.False(report.Sources[0].Succeeded);
        Assert.Contains("exceeds the limit", report.Sources[0].Error, StringComparison.Ordinal);
        var bad = Assert.Single(report.Sources[0].BadItems);
        Assert.Equal(("lms", "page 1"), (bad.Source, bad.ItemId));
        Assert.Single(server.Requests);
        Assert.Empty(host.Journal.Events);
    }

    [Fact]
    public async Task SyncAsync_MoreLinkToOtherHost_RefusedWithoutSendingCredentials()
    {
        await using var server = await VendorHost.StartAsync((ctx, _) => VendorHost.WriteJsonAsync(ctx,
            Result("https://evil.example.net/xapi/statements?more=1", Statement("x1", Adl + "completed", CoursePrefix + "c1", "2026-03-05T08:00:00Z"))));
        using var host = SourceHost.Create(Settings(server.BaseUri));

        var report = await host.Sync.SyncAsync("lms", null, null, null, CancellationToken.None);

        Assert.False(report.Sources[0].Succeeded);
        Assert.Single(server.Requests);
        Assert.Single(host.Journal.Events);
    }

    [Fact]
    public async Task SyncAsync_Backfill_UsesBoundsAndLeavesCheckpoint()
    {
        await using var server = await VendorHost.StartAsync((ctx, _) => VendorHost.WriteJsonAsync(ctx,
            Result(null, Statement("b1", Adl + "completed", CoursePrefix + "c1", "2026-01-05T08:00:00Z"))));
        using var host = SourceHost.Create(Settings(server.BaseUri));
        await host.Journal.SetStateAsync("checkpoint:lms", "2026-03-01T00:00:00.0000000+00:00");

        var report = await host.Sync.SyncAsync("lms", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), null, CancellationToken.None);

        Assert.True(report.Succeeded);
        var request = Assert.Single(server.Requests);
        Assert.Equal("2026-01-01T00:00:00.000Z", request.Query("since"));
        Assert.Equal("2026-02-01T00:00:00.000Z", request.Query("until"));
        Assert.Equal("2026-03-01T00:00:00.0000000+00:00", await host.Journal.GetStateAsync("checkpoint:lms"));
    }

    private sealed class SynchronousProgress(Action<SyncProgress> report) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value) => report(value);
    }
}
