using System.Globalization;
using System.Text.Json.Nodes;
using Metrics.Core.Events;

namespace Metrics.Simulator.Generation;

/// <summary>The AI tools' own views: the Microsoft 365 Copilot usage report rows and the GitHub Copilot seats.</summary>
public sealed class CopilotData
{
    /// <summary>The report's date: the day before the story's end (the report lags).</summary>
    public required DateOnly ReportRefreshDate { get; init; }

    public required IReadOnlyList<JsonObject> UsageRows { get; init; }

    public required IReadOnlyList<JsonObject> Seats { get; init; }
}

/// <summary>
/// Who holds a Microsoft 365 Copilot licence or a GitHub Copilot seat, and the last activity each tool reports, as of the
/// story's end. Both tools report only the latest activity, so the ground truth is one <c>ai.used</c> per person, app and
/// last date (Microsoft 365) or per seat and last instant (GitHub): exactly what a first pull at the end can see.
/// </summary>
public static class CopilotGenerator
{
    public const string M365Source = "m365copilot";
    public const string GitHubSource = "githubcopilot";
    public const string Organization = "acme";

    /// <summary>The report's apps in its property names and the <c>tool</c> each becomes.</summary>
    public static readonly IReadOnlyList<(string Property, string Tool)> Apps =
    [
        ("copilotChatLastActivityDate", "chat"),
        ("microsoftTeamsCopilotLastActivityDate", "teams"),
        ("wordCopilotLastActivityDate", "word"),
        ("excelCopilotLastActivityDate", "excel"),
        ("powerPointCopilotLastActivityDate", "powerpoint"),
        ("outlookCopilotLastActivityDate", "outlook"),
        ("oneNoteCopilotLastActivityDate", "onenote"),
        ("loopCopilotLastActivityDate", "loop"),
    ];

    private static readonly string[] Editors =
    [
        "vscode/1.96.2/copilot/1.254.0",
        "JetBrains-IC/243.22562.145/copilot-intellij/1.5.30",
        "copilot-chat-platform",
        "vim/9.1.0/copilot.vim/1.41.0",
    ];

    public static CopilotData Generate(Company company, DateOnly?[] adoption, GroundTruth truth, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(adoption);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(options);
        var rng = new Rng(options.Seed, "copilot");
        var story = company.Story;
        var last = story.End.AddDays(-1);
        var rows = new List<JsonObject>();
        var seats = new List<JsonObject>();
        foreach (var e in company.Employees.Where(e => e.End is null))
        {
            var adopted = adoption[e.Index];
            if (rng.Chance(0.6))
            {
                rows.Add(UsageRow(e, adopted, last, story, rng, truth));
            }

            if (e.Last.Level == Core.Directory.Level.Specialist && rng.Chance(0.7))
            {
                seats.Add(Seat(e, adopted, last, story, rng, truth));
            }
        }

        return new CopilotData { ReportRefreshDate = last, UsageRows = rows, Seats = seats };
    }

    private static JsonObject UsageRow(Employee e, DateOnly? adopted, DateOnly last, Story story, Rng rng, GroundTruth truth)
    {
        var row = new JsonObject
        {
            ["reportRefreshDate"] = Story.Iso(last),
            ["userPrincipalName"] = e.Email,
            ["displayName"] = e.DisplayName,
        };
        DateOnly? latest = null;
        var dates = new List<(string Property, DateOnly? Date)>();
        foreach (var (property, tool) in Apps)
        {
            // Licensed people who never adopted AI leave every date null: they appear, with nothing to count.
            DateOnly? date = adopted is { } from && rng.Chance(0.5) ? RecentDay(from, last, story, rng) : null;
            dates.Add((property, date));
            if (date is { } d)
            {
                latest = latest is { } l && l > d ? l : d;
                truth.Add(M365Source, string.Create(CultureInfo.InvariantCulture, $"{tool}:{Story.Iso(d)}:{e.Email}"), EventType.AiUsed,
                    new DateTimeOffset(d.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero), e.Email, null, tool: tool);
            }
        }

        row["lastActivityDate"] = latest is { } x ? Story.Iso(x) : null;
        foreach (var (property, date) in dates)
        {
            row[property] = date is { } d ? Story.Iso(d) : null;
        }

        row["copilotActivityUserDetailsByPeriod"] = new JsonArray(new JsonObject { ["reportPeriod"] = 7 });
        return row;
    }

    private static JsonObject Seat(Employee e, DateOnly? adopted, DateOnly last, Story story, Rng rng, GroundTruth truth)
    {
        var login = (e.FirstName + "-" + e.LastName).ToLowerInvariant().Replace(' ', '-') + e.Index.ToString(CultureInfo.InvariantCulture);
        DateTimeOffset? at = adopted is { } from ? story.WorkTime(RecentDay(from, last, story, rng), rng) : null;
        var editor = at is null ? null : rng.Pick(Editors);
        var seat = new JsonObject
        {
            ["created_at"] = story.At(story.First, new TimeOnly(9, 0)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["updated_at"] = story.At(story.First, new TimeOnly(9, 0)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["pending_cancellation_date"] = null,
            ["last_activity_at"] = at?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["last_activity_editor"] = editor,
            ["assignee"] = new JsonObject
            {
                ["login"] = login,
                ["id"] = 1000 + e.Index,
                ["type"] = "User",
                ["site_admin"] = false,
            },
            ["assigning_team"] = null,
        };
        // Most logins are in the identity map (single sign-on links them); one seat in ten is not, so the unresolved
        // count the spec asks for has something to count.
        var linked = e.Index % 10 != 3;
        var person = "github:" + login;
        if (linked)
        {
            truth.Link(person, e.Email);
        }

        if (at is { } instant)
        {
            // Stored under the login in both the connector and the import path; the identity map resolves it.
            var attributes = new JsonObject { ["tool"] = "github-copilot", ["editor"] = editor };
            truth.AddEvent(new CanonicalEvent(GitHubSource, login + ":" + instant.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
                EventType.AiUsed, instant, PersonKey.Normalize(person), null, false, attributes.ToJsonString()));
            if (!linked)
            {
                truth.Expect(GitHubSource, login, DifferenceKind.Unresolved, "GitHub login not in the identity map");
            }
        }
        else
        {
            truth.Expect(GitHubSource, login, DifferenceKind.Ignored, "seat never used");
        }

        return seat;
    }

    /// <summary>A workday in the last two weeks of the story, not before the person adopted AI.</summary>
    private static DateOnly RecentDay(DateOnly adopted, DateOnly last, Story story, Rng rng)
    {
        var first = last.AddDays(-13);
        var from = adopted > first ? adopted : first;
        if (from > last)
        {
            from = last;
        }

        var day = from.AddDays(rng.Between(0, last.DayNumber - from.DayNumber));
        while (!Story.IsWorkday(day) && day > from)
        {
            day = day.AddDays(-1);
        }

        return day < story.First ? story.First : day;
    }
}
