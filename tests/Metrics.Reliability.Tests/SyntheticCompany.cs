using System.Globalization;
using System.Text;

namespace Metrics.Reliability.Tests;

/// <summary>
/// A seeded company in the canonical import formats, large enough that an import or recompute runs for a few seconds
/// (so a kill lands mid-way) and small enough for CI: departments of every size (some below the minimum group size),
/// moves, leavers and every event type the KPIs read. Same seed, same files.
/// </summary>
public sealed class SyntheticCompany
{
    public const string TimeZone = "Europe/Berlin";
    public const int MinimumGroupSize = 3;

    private static readonly string[] Departments = ["Engineering", "Sales", "Ops", "Legal", "Marketing", "Data & Analytics", "HR", "R&D (Süd)"];
    private static readonly string[] Levels = ["executive", "manager", "specialist", "frontline"];

    public SyntheticCompany(int seed, int people, int days, int eventsPerPersonDay100)
    {
        var random = new Random(seed);
        First = new DateOnly(2026, 1, 1);
        Last = First.AddDays(days - 1);
        var directory = new StringBuilder("person,department,level,from,to\n");
        for (var p = 0; p < people; p++)
        {
            // Skewed sizes: the last departments stay below the minimum group size.
            var department = Departments[Math.Min(Departments.Length - 1, (int)(Math.Pow(random.NextDouble(), 2) * Departments.Length))];
            var level = Levels[random.Next(Levels.Length)];
            var person = Person(p);
            if (random.Next(10) == 0)
            {
                var move = First.AddDays(random.Next(1, days));
                directory.Append(CultureInfo.InvariantCulture, $"{person},{Csv(department)},{level},2025-06-01,{move:yyyy-MM-dd}\n");
                directory.Append(CultureInfo.InvariantCulture, $"{person},{Csv(Departments[random.Next(Departments.Length)])},{level},{move:yyyy-MM-dd},\n");
            }
            else
            {
                directory.Append(CultureInfo.InvariantCulture, $"{person},{Csv(department)},{level},2025-06-01,\n");
            }
        }

        Directory = directory.ToString();
        Courses = "course,levels\nai-basics,executive;manager;specialist;frontline\nai-engineering,specialist\n";
        var events = new List<string>();
        var id = 0;
        for (var day = 0; day < days; day++)
        {
            var date = First.AddDays(day);
            for (var p = 0; p < people; p++)
            {
                if (random.Next(100) >= eventsPerPersonDay100)
                {
                    continue;
                }

                var time = new DateTimeOffset(date.ToDateTime(new TimeOnly(random.Next(24), random.Next(60))), TimeSpan.FromHours(1));
                events.Add(Event(random, ++id, time, Person(p)));
            }
        }

        Events = events;
    }

    public DateOnly First { get; }

    public DateOnly Last { get; }

    public string Directory { get; }

    public string Courses { get; }

    public IReadOnlyList<string> Events { get; }

    public static string Person(int p) => $"p{p:D5}@example.com";

    /// <summary>One valid event line; the generated type mix covers every KPI.</summary>
    public static string Event(Random random, int id, DateTimeOffset time, string person)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = time.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
        var head = $"\"source\":\"gen\",\"id\":\"e{id}\",\"time\":\"{t}\",\"person\":\"{person}\"";
        return random.Next(20) switch
        {
            0 => $"{{{head},\"type\":\"training.completed\",\"attributes\":{{\"course\":\"{(random.Next(2) == 0 ? "ai-basics" : "ai-engineering")}\"}}}}",
            1 => $"{{{head},\"type\":\"proposal.submitted\",\"attributes\":{{\"proposal\":\"pr{random.Next(200)}\"}}}}",
            2 => $"{{{head},\"type\":\"decision.recorded\",\"attributes\":{{\"decision\":\"d{id}\",\"aiAssisted\":{(random.Next(2) == 0 ? "true" : "false")}}}}}",
            3 => $"{{{head},\"type\":\"project.started\",\"attributes\":{{\"project\":\"pj{random.Next(30)}\"}}}}",
            4 => $"{{{head},\"type\":\"project.member\",\"attributes\":{{\"project\":\"pj{random.Next(30)}\"}}}}",
            _ => $"{{{head},\"type\":\"ai.used\",\"attributes\":{{\"tool\":\"copilot\"}}}}",
        };
    }

    /// <summary>Writes directory.csv, courses.csv and events.jsonl under <paramref name="folder"/>.</summary>
    public (string Directory, string Courses, string Events) WriteFiles(string folder)
    {
        System.IO.Directory.CreateDirectory(folder);
        var files = (Path.Combine(folder, "directory.csv"), Path.Combine(folder, "courses.csv"), Path.Combine(folder, "events.jsonl"));
        File.WriteAllText(files.Item1, Directory);
        File.WriteAllText(files.Item2, Courses);
        File.WriteAllLines(files.Item3, Events);
        return files;
    }

    private static string Csv(string value) => value.Contains(',', StringComparison.Ordinal) ? $"\"{value}\"" : value;
}
