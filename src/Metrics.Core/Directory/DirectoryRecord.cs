namespace Metrics.Core.Directory;

/// <summary>One effective-dated directory record: <paramref name="From"/> inclusive, <paramref name="To"/> exclusive or open.</summary>
public sealed record DirectoryRecord(string Person, string Department, Level Level, DateOnly From, DateOnly? To)
{
    public bool Covers(DateOnly day) => day >= From && (To is null || day < To.Value);

    public bool Overlaps(DirectoryRecord other) =>
        From < (other.To ?? DateOnly.MaxValue) && other.From < (To ?? DateOnly.MaxValue);
}

/// <summary>A required course and the levels it is required for.</summary>
public sealed record Course(string Id, IReadOnlyList<Level> Levels);

/// <summary>Links a normalised source identity (as stored in an event's person) to a directory person key.</summary>
public sealed record IdentityLink(string Identity, string Person);
