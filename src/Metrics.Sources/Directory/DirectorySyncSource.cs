using Metrics.Core.Directory;
using Metrics.Core.Events;
using Metrics.Core.Ports;
using Metrics.Sources.Common;
using Microsoft.Extensions.Options;

namespace Metrics.Sources.Directory;

/// <summary>
/// Syncs the directory from Graph or the HR export as a dated snapshot (records change at the sync date in the org's
/// zone), then upserts identity links from the directory and the optional mapping CSV.
/// </summary>
public sealed class DirectorySyncSource(IOptions<DirectoryOptions> options, TimeProvider clock, GraphDirectory graph, PersonPseudonyms? pseudonyms = null) : IDirectorySource
{
    public const string SourceName = "directory";

    public string Name => SourceName;

    public bool Enabled => options.Value.Enabled;

    public TimeSpan Interval => options.Value.Interval;

    public async Task<DirectorySyncResult> SyncAsync(IEventJournal journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var o = options.Value;
        var bad = new List<BadItem>();
        var links = new List<IdentityLink>();
        int people = 0, changed = 0, closed = 0;
        GraphDirectoryState? graphState = null;
        if (o.Provider != DirectoryProvider.None)
        {
            List<ProviderPerson> raw;
            if (o.Provider == DirectoryProvider.Graph)
            {
                graphState = await graph.PullAsync(o, journal, cancellationToken);
                raw = graphState.Users.Where(u => u.Value.AccountEnabled)
                    .Select(u => new ProviderPerson(u.Value.Mail, u.Value.UserPrincipalName, u.Value.EmployeeId, u.Value.Department, u.Value.JobTitle, u.Value.ManagerId, null, u.Key))
                    .ToList();
            }
            else
            {
                raw = await DirectoryCsv.ReadPeopleAsync(o.CsvPath!, Name, bad, cancellationToken);
            }

            // Compared with what the journal holds, so in its terms: pseudonyms when Journal:PseudonymKey is set.
            var snapshot = Protect(Snapshot(raw, o, bad));
            var existing = await journal.LoadDirectoryAsync(cancellationToken);
            var syncDate = SyncDate(o);
            if (snapshot.Count == 0 && existing.Any(r => r.To is null || r.To > syncDate))
            {
                throw new SourcePageException("the provider returned nobody; refusing to close every open directory record");
            }

            var diff = DirectorySnapshot.Diff(existing, snapshot, syncDate, o.CloseMissing, syncDate.AddDays(-(int)Math.Ceiling(o.InitialLookback.TotalDays)));
            if (diff.Records.Count > 0)
            {
                await journal.ReplaceDirectoryAsync(diff.Records, cancellationToken);
            }

            people = snapshot.Count;
            changed = diff.Changed;
            closed = diff.Closed;
            links.AddRange(snapshot.SelectMany(p => p.Identities.Select(i => new IdentityLink(i, p.Person))));
        }

        if (!string.IsNullOrWhiteSpace(o.IdentityMapPath))
        {
            links.AddRange((await DirectoryCsv.ReadIdentityMapAsync(o.IdentityMapPath, Name, bad, cancellationToken)).Select(Protect));
        }

        var known = (await journal.LoadIdentitiesAsync(cancellationToken)).ToDictionary(l => l.Identity, l => l.Person, StringComparer.Ordinal);
        var fresh = links
            .GroupBy(l => l.Identity, StringComparer.Ordinal)
            .Select(g => g.Last())
            .Where(l => l.Identity != l.Person && (!known.TryGetValue(l.Identity, out var p) || p != l.Person))
            .ToList();
        if (fresh.Count > 0)
        {
            await journal.UpsertIdentitiesAsync(fresh, cancellationToken);
        }

        // Saved last: if anything above failed, the next run re-reads the same changes.
        if (graphState is not null)
        {
            await GraphDirectory.SaveAsync(journal, graphState, cancellationToken);
        }

        return new DirectorySyncResult(people, changed, closed, fresh.Count, bad);
    }

    private List<SnapshotPerson> Protect(List<SnapshotPerson> snapshot) => pseudonyms is not { Enabled: true } p ? snapshot
        : [.. snapshot.Select(x => x with { Person = p.Protect(x.Person), Identities = [.. x.Identities.Select(p.Protect)] })];

    private IdentityLink Protect(IdentityLink link) => pseudonyms?.Protect(link) ?? link;

    /// <summary>The calendar date of now in the org's zone: the day a changed record closes and the new one opens.</summary>
    public DateOnly SyncDate(DirectoryOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(o.TimeZone) ? "UTC" : o.TimeZone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);
    }

    /// <summary>Decides keys, levels and identities; people without a key or department are reported, not guessed.</summary>
    public static List<SnapshotPerson> Snapshot(IReadOnlyList<ProviderPerson> raw, DirectoryOptions o, List<BadItem> bad)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(bad);
        var rules = new LevelRules(o);
        var managers = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in raw)
        {
            if (!string.IsNullOrWhiteSpace(p.ManagerRef))
            {
                managers.Add(p.ManagerRef.Trim());
            }
        }

        var result = new List<SnapshotPerson>(raw.Count);
        foreach (var p in raw)
        {
            var email = Identities.Email(p.Email) ?? Identities.Email(p.SecondaryEmail);
            var employeeId = string.IsNullOrWhiteSpace(p.EmployeeId) ? null : PersonKey.Normalize(p.EmployeeId);
            var key = o.PersonKey == PersonKeySource.EmployeeId ? employeeId : email;
            if (key is null)
            {
                bad.Add(new BadItem(SourceName, p.ItemRef, o.PersonKey == PersonKeySource.EmployeeId ? "no employee id" : "no e-mail"));
                continue;
            }

            if (string.IsNullOrWhiteSpace(p.Department))
            {
                bad.Add(new BadItem(SourceName, p.ItemRef, "no department"));
                continue;
            }

            // The rule the directory CSV import applies: one person with a name the store cannot carry is reported,
            // rather than the journal refusing the whole snapshot (and with it every other person's move).
            if (DepartmentName.Check(p.Department.Trim()) is { } departmentError)
            {
                bad.Add(new BadItem(SourceName, p.ItemRef, departmentError));
                continue;
            }

            // A report names its manager by provider id (Graph), e-mail or employee id (CSV).
            var hasReports = managers.Contains(p.ItemRef) || (p.Email is not null && managers.Contains(p.Email.Trim()))
                || (p.EmployeeId is not null && managers.Contains(p.EmployeeId.Trim()));
            var level = p.Level ?? rules.Resolve(p.JobTitle, p.Department, hasReports);
            var identities = new[] { email, Identities.Email(p.SecondaryEmail) }
                .OfType<string>().Where(i => i != key).Distinct(StringComparer.Ordinal).ToArray();
            result.Add(new SnapshotPerson(key, p.Department.Trim(), level, identities));
        }

        return result;
    }
}
