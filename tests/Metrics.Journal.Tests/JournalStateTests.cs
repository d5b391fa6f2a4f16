using System.Text.Json;
using Metrics.Core.Ports;

namespace Metrics.Journal.Tests;

/// <summary>The typed journal state against the real SQLite journal, in the key and value formats journals already hold.</summary>
public sealed class JournalStateTests : IDisposable
{
    private readonly TempJournal _temp = new();

    private SqliteEventJournal Journal => _temp.Journal;

    private JournalState State => new(Journal);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SetCheckpointAsync_PerSource_ReadsBackUnderTheStoredKey()
    {
        await State.SetCheckpointAsync("lms", "2026-03-05T08:00:00.0000000+00:00");
        await State.SetCheckpointAsync("ticketing", "42");

        Assert.Equal("2026-03-05T08:00:00.0000000+00:00", await State.GetCheckpointAsync("lms"));
        Assert.Equal("42", await Journal.GetStateAsync("checkpoint:ticketing"));
        Assert.Null(await State.GetCheckpointAsync("lowcode"));
    }

    [Fact]
    public async Task GetNewestEventAsync_RoundTripAndUnreadable_TimeOrNull()
    {
        var time = new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.FromHours(1));
        await State.SetNewestEventAsync("lms", time);
        await Journal.SetStateAsync("newest-event:lowcode", "not a time");

        Assert.Equal(time, await State.GetNewestEventAsync("lms"));
        Assert.Equal("2026-03-10T10:00:00.0000000+01:00", await Journal.GetStateAsync("newest-event:lms"));
        Assert.Null(await State.GetNewestEventAsync("lowcode"));
    }

    [Fact]
    public async Task GetSyncRecordAsync_UnsetThenSet_FreshThenStoredRecord()
    {
        Assert.Equal(new SourceSyncRecord(), await State.GetSyncRecordAsync("lms"));

        await State.SetSyncRecordAsync("lms", new SourceSyncRecord { LastSuccessUnix = 1_770_000_000, Failures = 2 });

        var record = await State.GetSyncRecordAsync("lms");
        Assert.Equal(2, record.Failures);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_770_000_000), record.LastSuccess);
        Assert.Equal("""{"LastSuccessUnix":1770000000,"Failures":2}""", await Journal.GetStateAsync("health:lms"));
    }

    [Fact]
    public async Task GetCoverageAsync_StoredDay_ReadsCountsPerSource()
    {
        var day = new DateOnly(2026, 3, 1);
        await Journal.SetStateAsync("coverage:2026-02-28", """{"lms":[5,2]}""");
        await State.SetCoverageAsync(day, new Dictionary<string, DayCoverage> { ["lms"] = new(10, 1), ["ticketing"] = new(3, 0) });

        Assert.Equal(new DayCoverage(5, 2), (await State.GetCoverageAsync(day.AddDays(-1)))!["lms"]);
        var coverage = await State.GetCoverageAsync(day);
        Assert.Equal(new DayCoverage(10, 1), coverage!["lms"]);
        Assert.Equal(new DayCoverage(3, 0), coverage["ticketing"]);
        Assert.Null(await State.GetCoverageAsync(day.AddDays(1)));
    }

    [Fact]
    public async Task GetDirectoryStateAsync_RoundTrip_ConnectorShapeUnderItsName()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Assert.Null(await State.GetDirectoryStateAsync<DeltaState>("graph", options));

        await State.SetDirectoryStateAsync("graph", new DeltaState("https://graph.example/delta?token=1", ["a", "b"]), options);

        var state = await State.GetDirectoryStateAsync<DeltaState>("graph", options);
        Assert.Equal("https://graph.example/delta?token=1", state!.DeltaLink);
        Assert.Equal(["a", "b"], state.Users);
        Assert.StartsWith("{\"deltaLink\":", await Journal.GetStateAsync("directory:graph"), StringComparison.Ordinal);
    }

    private sealed record DeltaState(string DeltaLink, IReadOnlyList<string> Users);
}
