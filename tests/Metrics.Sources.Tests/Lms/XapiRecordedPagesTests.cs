using Metrics.Sources.Lms;
using Metrics.Sources.Tests.Fakes;
using Metrics.Testing.Vendors;

namespace Metrics.Sources.Tests.Lms;

/// <summary>
/// The xAPI connector against a StatementResult built from the statements of the xAPI 1.0.3 specification's own
/// Appendix A (tests/vendor-pages/xapi), as an LRS returns them (with <c>stored</c>, <c>authority</c>, <c>version</c>).
/// </summary>
public sealed class XapiRecordedPagesTests
{
    private const string Vendor = "xapi";

    private static Dictionary<string, string?> Settings(Uri server)
    {
        var s = SourceHost.FastResilience("Sources:Lms");
        s["Sources:Lms:Enabled"] = "true";
        s["Sources:Lms:BaseUrl"] = new Uri(server, "/xapi").ToString();
        s["Sources:Lms:Username"] = "lrs-key";
        s["Sources:Lms:Password"] = "lrs-secret";
        s["Sources:Lms:CourseActivityPrefixes:0"] = "http://example.adlnet.gov/xapi/example/";
        return s;
    }

    [Fact]
    public async Task SyncAsync_SpecExampleStatements_TimestampWithoutZoneKeptAsUtcAndUnmappedVerbsIgnoredNotBad()
    {
        await using var server = await VendorHost.StartAsync((ctx, req) =>
        {
            ctx.Response.Headers["X-Experience-API-Version"] = "1.0.3";
            return VendorPages.ServeAsync(ctx, Vendor, "statements.json");
        });
        using var host = SourceHost.Create(Settings(server.BaseUri), now: new DateTimeOffset(2015, 12, 20, 9, 0, 0, TimeSpan.Zero));

        var report = await host.Sync.SyncAsync("lms", null, null, null, CancellationToken.None);
        var result = report.Sources[0];

        Assert.True(result.Succeeded, result.Error);
        // Before: the zone-less timestamp made the completion "malformed", and the spec's `attended` and custom
        // `sent-a-statement` verbs were bad items, so `sync` exited 2 on perfectly normal data.
        Assert.Equal(0, result.BadItemCount);
        Assert.True(report.Succeeded && report.BadItems == 0);
        Assert.Equal(2, result.Ignored["verb not mapped by configuration"]);
        VendorPages.AssertEvents(Vendor, "expected.jsonl", host.Journal.Events);
    }

    [Theory]
    [InlineData("2015-12-18T13:17:00.000", "2015-12-18T13:17:00+00:00")]
    [InlineData("2015-12-18T13:17:00+01:00", "2015-12-18T12:17:00+00:00")]
    [InlineData("2015-12-18T13:17:00.000Z", "2015-12-18T13:17:00+00:00")]
    [InlineData(null, "2015-12-19T00:00:00+00:00")]
    public void EventTime_SpecTimestampForms_ReadAsTheSpecSays(string? timestamp, string expected)
    {
        var stored = new DateTimeOffset(2015, 12, 19, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), XapiMapper.EventTime(timestamp, stored));
    }

    [Fact]
    public void EventTime_NotAnIsoTime_Null() =>
        Assert.Null(XapiMapper.EventTime("18/12/2015 13:17", DateTimeOffset.UnixEpoch));
}
