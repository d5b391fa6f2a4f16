using System.Globalization;
using System.Text.Json.Nodes;
using Metrics.Core.Directory;
using Metrics.Core.Events;

namespace Metrics.Simulator.Generation;

/// <summary>One stored statement: its serialised form and what the list queries filter and order on.</summary>
public sealed record XapiRecord(string Id, DateTimeOffset Stored, string Verb, bool Voided, byte[] Json);

/// <summary>The LRS content, ordered by stored time then id.</summary>
public sealed class XapiData
{
    public required IReadOnlyList<XapiRecord> Statements { get; init; }

    public required string Origin { get; init; }

    public required string CoursePrefix { get; init; }
}

/// <summary>Generates the LRS: enrolments, launches, completions and passes per training wave, shares, voids, guests and malformed statements.</summary>
public static class XapiGenerator
{
    public const string Source = "lms";
    public const string Verbs = "http://adlnet.gov/expapi/verbs/";
    public const string CourseType = "http://adlnet.gov/expapi/activities/course";

    private sealed class Pending(JsonObject json, string id, DateTimeOffset stored, string verb, CanonicalEvent? mapped)
    {
        public JsonObject Json { get; } = json;

        public string Id { get; } = id;

        public DateTimeOffset Stored { get; } = stored;

        public string Verb { get; } = verb;

        public CanonicalEvent? Event { get; set; } = mapped;

        public bool Voided { get; set; }
    }

    public static XapiData Generate(Company company, DateOnly?[] adoption, GroundTruth truth, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(company);
        ArgumentNullException.ThrowIfNull(adoption);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(options);
        var story = company.Story;
        var rng = new Rng(options.Seed, "xapi");
        var origin = "https://lms." + options.Domain;
        var coursePrefix = origin + "/courses/";
        var all = new List<Pending>();

        Pending Emit(JsonObject actor, string? person, string verb, JsonObject target, DateTimeOffset timestamp, EventType? type, string? subject,
            JsonObject? result = null, JsonObject? context = null)
        {
            var id = rng.Uuid();
            var late = rng.Chance(0.04);
            var stored = story.BeforeEnd(late
                ? timestamp.AddDays(rng.Between(2, 25)).AddMinutes(rng.Between(0, 600))
                : timestamp.AddMilliseconds(rng.Between(150, 9000)));
            var json = new JsonObject
            {
                ["id"] = id,
                ["actor"] = actor,
                ["verb"] = new JsonObject { ["id"] = Verbs + verb, ["display"] = new JsonObject { ["en-US"] = verb } },
                ["object"] = target,
            };
            if (result is not null)
            {
                json["result"] = result;
            }

            json["context"] = context ?? new JsonObject { ["platform"] = "Acme LMS" };
            json["timestamp"] = timestamp.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
            json["stored"] = Stored(stored);
            json["authority"] = new JsonObject
            {
                ["objectType"] = "Agent",
                ["account"] = new JsonObject { ["homePage"] = origin, ["name"] = "lms-system" },
            };
            json["version"] = "1.0.3";
            var mapped = type is { } t && person is not null ? GroundTruth.Create(Source, id, t, timestamp, person, subject) : null;
            var pending = new Pending(json, id, stored, Verbs + verb, mapped);
            all.Add(pending);
            return pending;
        }

        JsonObject Course(string course) => new()
        {
            ["objectType"] = "Activity",
            ["id"] = coursePrefix + course,
            ["definition"] = new JsonObject
            {
                ["type"] = CourseType,
                ["name"] = new JsonObject { ["en-US"] = Catalog.Title(course) },
            },
        };

        JsonObject Child(string kind, string course, string type, int n) => new()
        {
            ["objectType"] = "Activity",
            ["id"] = $"{origin}/{kind}/{course}" + (n > 0 ? "/module-" + n.ToString(CultureInfo.InvariantCulture) : string.Empty),
            ["definition"] = new JsonObject { ["type"] = "http://adlnet.gov/expapi/activities/" + type },
        };

        JsonObject UnderCourse(string course, string registration) => new()
        {
            ["registration"] = registration,
            ["platform"] = "Acme LMS",
            ["contextActivities"] = new JsonObject { ["parent"] = new JsonArray(Course(course)) },
        };

        var completions = new List<Pending>();

        // One course run: register, launch a module, progress, then complete the course or pass its assessment.
        void Run(Func<JsonObject> actor, string person, string course, DateOnly start, double completeChance, Func<DateOnly, bool> present)
        {
            if (start >= story.End || !present(start))
            {
                return;
            }

            var registration = rng.Uuid();
            var t0 = story.WorkTime(start, rng);
            Emit(actor(), person, "registered", Course(course), t0, EventType.TrainingEnrolled, course);
            Emit(actor(), person, "launched", Child("au", course, "module", 1), t0.AddMinutes(rng.Between(2, 50)), EventType.TrainingEnrolled, course,
                context: UnderCourse(course, registration));
            var progressDay = start.AddDays(rng.Between(1, 3));
            if (progressDay < story.End && present(progressDay))
            {
                Emit(actor(), person, rng.Chance(0.5) ? "progressed" : "experienced", Child("au", course, "module", 2), story.WorkTime(progressDay, rng), null, null,
                    context: UnderCourse(course, registration));
            }

            if (!rng.Chance(completeChance))
            {
                return;
            }

            var doneDay = start.AddDays(rng.Between(2, 15));
            if (doneDay >= story.End || !present(doneDay))
            {
                return;
            }

            var at = story.WorkTime(doneDay, rng);
            if (rng.Chance(0.5))
            {
                completions.Add(Emit(actor(), person, "completed", Course(course), at, EventType.TrainingCompleted, course,
                    result: new JsonObject { ["completion"] = true, ["duration"] = "PT" + rng.Between(20, 90).ToString(CultureInfo.InvariantCulture) + "M" }));
                return;
            }

            if (rng.Chance(0.25))
            {
                Emit(actor(), person, "failed", Child("assessments", course, "assessment", 0), at.AddMinutes(-rng.Between(30, 90)), null, null,
                    result: new JsonObject { ["success"] = false, ["score"] = new JsonObject { ["scaled"] = 0.4 } }, context: UnderCourse(course, registration));
            }

            completions.Add(Emit(actor(), person, "passed", Child("assessments", course, "assessment", 0), at, EventType.TrainingCompleted, course,
                result: new JsonObject { ["success"] = true, ["score"] = new JsonObject { ["scaled"] = Math.Round(0.7 + 0.3 * rng.Next(), 2) } },
                context: UnderCourse(course, registration)));
        }

        foreach (var e in company.Employees)
        {
            var mixedCase = rng.Chance(0.2);
            JsonObject Actor() => new()
            {
                ["objectType"] = "Agent",
                ["name"] = e.DisplayName,
                ["mbox"] = "mailto:" + (mixedCase ? e.FirstName + "." + e.Email[(e.FirstName.Length + 1)..] : e.Email),
            };

            var stint = e.Stints[0];
            var wave = story.DayAt(Catalog.WaveStart(stint.Level));
            var enrol = (wave > e.Start ? wave : e.Start).AddDays(rng.Between(0, 20));
            var enrolChance = stint.Level switch { Level.Executive => 0.95, Level.Manager => 0.9, Level.Specialist => 0.85, _ => 0.75 };
            var completeChance = stint.Level switch { Level.Executive => 0.9, Level.Manager => 0.85, Level.Specialist => 0.85, _ => 0.7 };
            if (rng.Chance(enrolChance) && e.On(enrol) is { } at)
            {
                var courses = Catalog.RequiredFor(at.Level).ToList();
                if (adoption[e.Index] is not null && rng.Chance(0.3))
                {
                    courses.Add(Catalog.Elective);
                }

                var day = enrol;
                foreach (var course in courses)
                {
                    Run(Actor, e.Email, course, day, completeChance, d => e.On(d) is not null);
                    day = day.AddDays(rng.Between(2, 6));
                }
            }

            if (adoption[e.Index] is { } adopted)
            {
                // Adopters write up what worked: knowledge shares grow with use.
                for (var d = adopted.AddDays(7); d < story.End; d = d.AddDays(1))
                {
                    if (Story.IsWorkday(d) && e.On(d) is not null && rng.Chance(0.035))
                    {
                        var article = origin.Replace("lms.", "wiki.", StringComparison.Ordinal) + "/ai-tips/" + rng.Between(1, 400).ToString(CultureInfo.InvariantCulture);
                        Emit(Actor(), e.Email, "shared", new JsonObject
                        {
                            ["objectType"] = "Activity",
                            ["id"] = article,
                            ["definition"] = new JsonObject { ["type"] = "http://id.tincanapi.com/activitytype/article" },
                        }, story.WorkTime(d, rng), EventType.KnowledgeShared, article);
                    }
                }
            }
        }

        // Guests learn through an LMS account that no directory knows: mapped, never resolved.
        var guests = Math.Max(2, company.Employees.Count / 40);
        for (var g = 1; g <= guests; g++)
        {
            var name = "guest-" + g.ToString("000", CultureInfo.InvariantCulture);
            JsonObject Guest() => new()
            {
                ["objectType"] = "Agent",
                ["name"] = "Guest " + g.ToString(CultureInfo.InvariantCulture),
                ["account"] = new JsonObject { ["homePage"] = origin, ["name"] = name },
            };
            var identity = "account:" + origin + "|" + name;
            Run(Guest, identity, "ai-foundations", story.DayAt(0.1 + 0.8 * rng.Next()), 0.6, _ => true);
            truth.Expect(Source, identity, DifferenceKind.Unresolved, "guest learner identified by an LMS account, not in the directory");
        }

        // Voided completions: the LRS lists the voiding statement, never the voided one.
        var admin = new JsonObject { ["objectType"] = "Agent", ["name"] = "LMS Admin", ["mbox"] = "mailto:lms-admin@" + options.Domain };
        var always = completions.Count / 2;
        for (var i = 0; i < completions.Count; i++)
        {
            // At least one void, so even a small company shows the retraction path.
            var target = completions[i];
            if (!rng.Chance(0.02) && i != always)
            {
                continue;
            }

            target.Voided = true;
            var at = story.BeforeEnd(target.Stored.AddDays(rng.Between(1, 5)));
            var voiding = Emit((JsonObject)admin.DeepClone(), "lms-admin@" + options.Domain, "voided",
                new JsonObject { ["objectType"] = "StatementRef", ["id"] = target.Id }, at, EventType.EventRetracted, target.Id);
            truth.Expect(Source, target.Id, DifferenceKind.Voided, "completion voided by " + voiding.Id + "; only the voiding statement is listed");
        }

        Malformed(company, rng, truth, coursePrefix, Emit);

        var ordered = all.OrderBy(p => p.Stored.UtcTicks).ThenBy(p => p.Id, StringComparer.Ordinal).ToList();
        foreach (var p in ordered.Where(p => !p.Voided && p.Event is not null))
        {
            truth.AddEvent(p.Event!);
        }

        return new XapiData
        {
            Origin = origin,
            CoursePrefix = coursePrefix,
            Statements = [.. ordered.Select(p => new XapiRecord(p.Id, p.Stored, p.Verb, p.Voided, System.Text.Encoding.UTF8.GetBytes(p.Json.ToJsonString())))],
        };
    }

    private static void Malformed(Company company, Rng rng, GroundTruth truth, string coursePrefix,
        Func<JsonObject, string?, string, JsonObject, DateTimeOffset, EventType?, string?, JsonObject?, JsonObject?, Pending> emit)
    {
        var story = company.Story;
        var someone = company.Employees[company.Employees.Count / 3];
        JsonObject Person() => new() { ["objectType"] = "Agent", ["mbox"] = "mailto:" + someone.Email };
        JsonObject Course() => new() { ["objectType"] = "Activity", ["id"] = coursePrefix + "ai-foundations" };

        var group = emit(new JsonObject
        {
            ["objectType"] = "Group",
            ["name"] = "Team Sales North",
            ["member"] = new JsonArray(Person()),
        }, null, "completed", Course(), story.WorkTime(story.DayAt(0.3), rng), null, null, null, null);
        truth.Expect(Source, group.Id, DifferenceKind.Rejected, "group actor has no single identity");

        var unknown = emit(Person(), null, "liked", Course(), story.WorkTime(story.DayAt(0.4), rng), null, null, null, null);
        unknown.Json["verb"] = new JsonObject { ["id"] = "http://activitystrea.ms/schema/1.0/like" };
        truth.Expect(Source, unknown.Id, DifferenceKind.Ignored, "verb the configuration does not map");

        // The spec says a timestamp SHOULD (not MUST) carry its zone: the connector keeps it and reads it as UTC.
        var noOffset = emit(Person(), null, "completed", Course(), story.WorkTime(story.DayAt(0.5), rng), null, null, null, null);
        var wallClock = story.WorkTime(story.DayAt(0.5), rng);
        noOffset.Json["timestamp"] = wallClock.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        noOffset.Event = GroundTruth.Create(Source, noOffset.Id, EventType.TrainingCompleted,
            new DateTimeOffset(wallClock.DateTime, TimeSpan.Zero), someone.Email, "ai-foundations");

        var failedPass = emit(Person(), null, "passed", Course(), story.WorkTime(story.DayAt(0.6), rng), null, null,
            new JsonObject { ["success"] = false }, null);
        truth.Expect(Source, failedPass.Id, DifferenceKind.Rejected, "passed statement with result.success false");

        var epoch = emit(Person(), null, "completed", Course(), story.WorkTime(story.DayAt(0.7), rng), null, null, null, null);
        epoch.Json["timestamp"] = "1970-01-01T00:00:00.000Z";
        truth.Expect(Source, epoch.Id, DifferenceKind.Rejected, "timestamp 1970 from a device with a reset clock (time before 2000)");
    }

    public static string Stored(DateTimeOffset stored) =>
        stored.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
