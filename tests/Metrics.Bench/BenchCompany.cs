using System.Globalization;
using System.Text;

namespace Metrics.Bench;

/// <summary>
/// A synthetic company in the canonical import formats: people over 50 departments and the four levels, and events of
/// every type at random times of the year, written in random time order (the worst arrival order for the journal).
/// </summary>
public sealed class BenchCompany(int people, int days, int eventsPerPerson, int departments = 50)
{
    public static readonly DateOnly Start = new(2025, 1, 1);

    public const string TimeZone = "Europe/Berlin";

    private static readonly string[] Levels = ["executive", "manager", "specialist", "frontline"];

    private static readonly string[] Mix =
    [
        "ai.used", "ai.used", "ai.used", "ai.used", "ai.used", "ai.used",
        "training.completed", "proposal.submitted", "decision.recorded", "knowledge.shared", "prototype.created",
        "project.member", "proposal.adopted", "training.enrolled", "project.started", "project.failed", "project.retrospective",
    ];

    public int People => people;

    public int Days => days;

    public long EventCount => (long)people * eventsPerPerson;

    public DateOnly To => Start.AddDays(days - 1);

    public string DepartmentName(int d) => $"Department {d:00}";

    public void WriteDirectory(string path)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false));
        w.WriteLine("person,department,level,from,to");
        var from = Start.AddDays(-30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        for (var p = 0; p < people; p++)
        {
            w.WriteLine($"p{p}@example.com,{DepartmentName(p % departments)},{Levels[p % 4]},{from},");
        }
    }

    public static void WriteCourses(string path) =>
        File.WriteAllText(path, "course,levels\nai-basics,executive;manager;specialist;frontline\nai-strategy,executive\n");

    public void WriteEvents(string path)
    {
        var rng = new Random(7);
        var startSeconds = new DateTimeOffset(Start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds();
        var spanSeconds = days * 86_400L;
        var projects = Math.Max(10, people / 20);
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        for (long i = 0; i < EventCount; i++)
        {
            var type = Mix[rng.Next(Mix.Length)];
            var time = DateTimeOffset.FromUnixTimeSeconds(startSeconds + rng.NextInt64(spanSeconds)).ToOffset(TimeSpan.FromHours(1));
            var attributes = type switch
            {
                "ai.used" => "{\"tool\":\"copilot\"}",
                "training.completed" or "training.enrolled" => rng.Next(3) == 0 ? "{\"course\":\"ai-strategy\"}" : "{\"course\":\"ai-basics\"}",
                "proposal.submitted" or "proposal.adopted" => $"{{\"proposal\":\"proposal-{rng.Next(people * 2)}\"}}",
                "decision.recorded" => $"{{\"decision\":\"d-{i}\",\"aiAssisted\":{(rng.Next(2) == 0 ? "true" : "false")}}}",
                "prototype.created" => $"{{\"prototype\":\"proto-{i}\"}}",
                "knowledge.shared" => $"{{\"artifact\":\"doc-{i}\"}}",
                _ => $"{{\"project\":\"project-{rng.Next(projects)}\"}}",
            };
            w.Write("{\"source\":\"bench\",\"id\":\"e");
            w.Write(i.ToString(CultureInfo.InvariantCulture));
            w.Write("\",\"type\":\"");
            w.Write(type);
            w.Write("\",\"time\":\"");
            w.Write(time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
            w.Write("\",\"person\":\"p");
            w.Write(rng.Next(people).ToString(CultureInfo.InvariantCulture));
            w.Write("@example.com\",\"attributes\":");
            w.Write(attributes);
            w.Write("}\n");
        }
    }
}
