using Metrics.Core.Directory;
using Metrics.Core.Events;
using Metrics.Sources.Common;
using Metrics.Sources.Tests.Fakes;
using Metrics.Testing.Vendors;

namespace Metrics.Sources.Tests.Directory;

public sealed class CsvDirectoryTests : IDisposable
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("metrics-sources-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private Dictionary<string, string?> Settings(string? csv, string? map, string provider = "Csv") => new()
    {
        ["Sources:Directory:Enabled"] = "true",
        ["Sources:Directory:Provider"] = provider,
        ["Sources:Directory:CsvPath"] = csv,
        ["Sources:Directory:IdentityMapPath"] = map,
        ["Sources:Directory:LevelRules:0:Level"] = "executive",
        ["Sources:Directory:LevelRules:0:TitlePattern"] = "^chief",
    };

    [Fact]
    public async Task SyncAsync_HrExport_LevelsFromColumnRulesAndReportsBadRowsByNumber()
    {
        var csv = Write("hr.csv", """
            email,employeeId,department,jobTitle,manager,level
            ceo@example.com,E1,Board,Chief Executive Officer,,
            lead@example.com,E2,Ops,Team Lead,ceo@example.com,
            ana@example.com,E3,Ops,Picker,E2,frontline
            bad@example.com,E4,Ops,Picker,E2,intern
            ,E5,Ops,Picker,E2,
            "broken,E6
            """);
        using var host = SourceHost.Create(Settings(csv, null));

        var report = await host.Sync.SyncAsync("directory", null, null, null, CancellationToken.None);

        // The first snapshot of an empty directory is back-dated over the default 30-day initial lookback.
        var opened = DateOnly.FromDateTime(SourceHost.DefaultNow.UtcDateTime).AddDays(-30);
        Assert.Equal(
            [
                new DirectoryRecord("ana@example.com", "Ops", Level.Frontline, opened, null),
                new DirectoryRecord("ceo@example.com", "Board", Level.Executive, opened, null),
                new DirectoryRecord("lead@example.com", "Ops", Level.Manager, opened, null),
            ],
            (await host.Journal.LoadDirectoryAsync()).OrderBy(r => r.Person, StringComparer.Ordinal));
        var bad = report.Sources[0].BadItems.Select(b => b.ItemId).ToArray();
        Assert.Equal(["row 5", "row 7", "row 6"], bad);
    }

    [Fact]
    public async Task SyncAsync_IdentityMapArrivesLater_ResolvesEarlierUnresolvedEvents()
    {
        var csv = Write("hr.csv", "email,department\nana@example.com,Ops\n");
        var journal = new InMemoryEventJournal();
        await journal.AppendAsync([new CanonicalEvent("ticketing", "1:ai.used", EventType.AiUsed, SourceHost.DefaultNow.AddDays(-3), Identities.Jira("acc-9", null)!, null, false, "{}")]);
        using (var before = SourceHost.Create(Settings(csv, null), journal))
        {
            await before.Sync.SyncAsync(null, null, null, null, CancellationToken.None);
            Assert.False(journal.Identities.ContainsKey("jira:acc-9"));
        }

        var map = Write("identities.csv", "identity,person\nJIRA:acc-9,Ana@Example.com\n");
        using var after = SourceHost.Create(Settings(csv, map), journal);
        var report = await after.Sync.SyncAsync("directory", null, null, null, CancellationToken.None);

        Assert.True(report.Succeeded, report.Sources[0].Error);
        Assert.Equal("ana@example.com", journal.Identities["jira:acc-9"]);
        var directory = OrgDirectory.Build(await journal.LoadDirectoryAsync(), await journal.LoadIdentitiesAsync());
        Assert.Equal(directory.PersonId("ana@example.com"), directory.PersonId(journal.Events.Single().Person));
    }

    [Fact]
    public async Task SyncAsync_IdentityMapWithBadRows_LinksTheGoodRowsAndReportsTheRestWithTheImportsReasons()
    {
        var csv = Write("hr.csv", "email,department\nana@example.com,Ops\n");
        var longKey = "github:" + new string('x', EventLineParser.MaxKeyLength);
        var map = Write("identities.csv", $"identity,person\ngithub:octocat,ana@example.com\n{longKey},ana@example.com\n,ana@example.com\na,b,c\n\"open,x\n");
        using var host = SourceHost.Create(Settings(csv, map));

        var report = await host.Sync.SyncAsync("directory", null, null, null, CancellationToken.None);

        Assert.Equal(["github:octocat"], (await host.Journal.LoadIdentitiesAsync()).Select(l => l.Identity));
        var bad = report.Sources[0].BadItems;
        Assert.Equal(["identity map row 3", "identity map row 4", "identity map row 5", "identity map row 6"], bad.Select(b => b.ItemId));
        Assert.Equal($"identity or person longer than {EventLineParser.MaxKeyLength} characters", bad[0].Reason);
        Assert.Equal("empty identity or person", bad[1].Reason);
        Assert.Equal("expected 2 fields (identity,person), found 3", bad[2].Reason);
        Assert.DoesNotContain(bad, b => b.Reason.Contains("octocat", StringComparison.Ordinal) || b.Reason.Contains("xxxx", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncAsync_UnresolvedEvents_CountedPerSourceUntilLinked()
    {
        await using var server = await VendorHost.StartAsync((ctx, _) => VendorHost.WriteJsonAsync(ctx, XapiPages.Result(null,
            XapiPages.Statement("s1", XapiPages.Adl + "completed", XapiPages.CoursePrefix + "c1", "2026-03-05T08:00:00Z", mbox: "mailto:ana@example.com"),
            XapiPages.Statement("s2", XapiPages.Adl + "completed", XapiPages.CoursePrefix + "c1", "2026-03-05T08:00:00Z", mbox: "mailto:ana.private@example.net"))));
        var csv = Write("hr.csv", "email,department\nana@example.com,Ops\n");
        var settings = Settings(csv, null);
        foreach (var (k, v) in SourceHost.FastResilience("Sources:Lms"))
        {
            settings[k] = v;
        }

        settings["Sources:Lms:Enabled"] = "true";
        settings["Sources:Lms:BaseUrl"] = new Uri(server.BaseUri, "/xapi").ToString();
        settings["Sources:Lms:Username"] = "k";
        settings["Sources:Lms:Password"] = "s";
        settings["Sources:Lms:CourseActivityPrefixes:0"] = XapiPages.CoursePrefix;
        using var host = SourceHost.Create(settings);

        var first = await host.Sync.SyncAsync(null, null, null, null, CancellationToken.None);
        settings["Sources:Directory:IdentityMapPath"] = Write("map.csv", "ana.private@example.net,ana@example.com\n");
        using var again = SourceHost.Create(settings, host.Journal);
        var second = await again.Sync.SyncAsync(null, null, null, null, CancellationToken.None);

        Assert.Equal(1, first.Sources.Single(s => s.Source == "lms").Unresolved);
        Assert.Equal(0, second.Sources.Single(s => s.Source == "lms").Unresolved);
    }
}
