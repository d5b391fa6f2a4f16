using Metrics.Core.Events;
using Metrics.Journal;
using Metrics.Sources.Tests.Fakes;
using Metrics.Testing.Vendors;
using static Metrics.Testing.Vendors.XapiPages;

namespace Metrics.Sources.Tests.Sync;

/// <summary>The sync against the real SQLite journal: a restart continues from the durable checkpoint, nothing re-counted.</summary>
public sealed class SqliteJournalSyncTests : IDisposable
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("metrics-sources-sqlite-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task SyncAsync_RestartOnSameJournal_ContinuesFromCheckpointAndRetractsVoided()
    {
        var round = 1;
        await using var server = await VendorHost.StartAsync((ctx, _) =>
        {
            ctx.Response.Headers["X-Experience-API-Consistent-Through"] = "2026-03-10T12:00:00Z";
            return VendorHost.WriteJsonAsync(ctx, round == 1
                ? Result(null,
                    Statement("a1", Adl + "completed", CoursePrefix + "c1", "2026-03-05T08:00:00Z"),
                    Statement("a2", Adl + "completed", CoursePrefix + "c2", "2026-03-05T09:00:00Z"))
                : Result(null,
                    Statement("a2", Adl + "completed", CoursePrefix + "c2", "2026-03-05T09:00:00Z"),
                    Voiding("v1", "a1", "2026-03-06T10:00:00Z")));
        });
        var settings = SourceHost.FastResilience("Sources:Lms");
        settings["Sources:Lms:Enabled"] = "true";
        settings["Sources:Lms:BaseUrl"] = new Uri(server.BaseUri, "/xapi").ToString();
        settings["Sources:Lms:Username"] = "k";
        settings["Sources:Lms:Password"] = "s";
        settings["Sources:Lms:CourseActivityPrefixes:0"] = CoursePrefix;
        settings["Sources:Lms:Overlap"] = "00:00:05";
        var path = Path.Combine(_dir, "journal.db");

        using (var journal = new SqliteEventJournal(path))
        using (var host = SourceHost.Create(settings, realJournal: journal))
        {
            var first = await host.Sync.SyncAsync(null, null, null, null, CancellationToken.None);
            Assert.Equal(2, first.Sources[0].Inserted);
        }

        round = 2;
        using (var journal = new SqliteEventJournal(path))
        using (var host = SourceHost.Create(settings, realJournal: journal))
        {
            var second = await host.Sync.SyncAsync(null, null, null, null, CancellationToken.None);

            Assert.True(second.Succeeded, second.Sources[0].Error);
            Assert.Equal("2026-03-05T08:59:55.000Z", server.Requests.Last().Query("since"));
            Assert.Equal(1, second.Sources[0].Inserted);
            Assert.Equal(1, second.Sources[0].Unchanged);
            var effective = new List<CanonicalEvent>();
            await foreach (var e in journal.StreamAsync(DateTimeOffset.MaxValue, DateTimeOffset.MaxValue))
            {
                effective.Add(e);
            }

            Assert.Equal("a2", Assert.Single(effective).Id);
            Assert.Equal("2026-03-06T10:00:00.0000000+00:00", await journal.GetStateAsync("checkpoint:lms"));
        }
    }
}
