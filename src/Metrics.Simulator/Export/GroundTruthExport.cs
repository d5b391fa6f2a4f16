using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Metrics.Core.Directory;
using Metrics.Simulator.Generation;

namespace Metrics.Simulator.Export;

/// <summary>
/// Writes the ground truth in the import formats of the KPI spec: <c>events.jsonl</c>, <c>directory.csv</c>,
/// <c>courses.csv</c>, the identity map <c>identity-map.csv</c> (what <c>Sources:Directory:IdentityMapPath</c> and
/// <c>import --identities</c> read), plus <c>expected-differences.json</c>/<c>.md</c> listing what the connectors must
/// treat specially.
/// Output depends only on the options, so the same options give the same bytes.
/// </summary>
public static class GroundTruthExport
{
    public static readonly IReadOnlyList<string> Files =
        ["events.jsonl", "directory.csv", "courses.csv", "identity-map.csv", "expected-differences.json", "expected-differences.md"];

    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(Simulation simulation, string directory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        Directory.CreateDirectory(directory);
        foreach (var name in Files)
        {
            await File.WriteAllBytesAsync(Path.Combine(directory, name), Render(simulation, name), cancellationToken);
        }
    }

    /// <summary>One export file's bytes (UTF-8, LF line ends).</summary>
    public static byte[] Render(Simulation simulation, string name)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        return name switch
        {
            "events.jsonl" => Events(simulation),
            "directory.csv" => Encoding.UTF8.GetBytes(DirectoryCsv(simulation)),
            "courses.csv" => Encoding.UTF8.GetBytes(CoursesCsv(simulation)),
            "identity-map.csv" => Encoding.UTF8.GetBytes(IdentityMapCsv(simulation)),
            "expected-differences.json" => DifferencesJson(simulation),
            "expected-differences.md" => Encoding.UTF8.GetBytes(DifferencesMarkdown(simulation)),
            _ => throw new ArgumentException($"unknown export file '{name}'", nameof(name)),
        };
    }

    public static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private static byte[] Events(Simulation simulation)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var e in simulation.Truth.Ordered())
        {
            using (var w = new Utf8JsonWriter(buffer, Relaxed))
            {
                w.WriteStartObject();
                w.WriteString("source", e.Source);
                w.WriteString("id", e.Id);
                w.WriteString("type", Metrics.Core.Events.EventTypes.Name(e.Type));
                w.WriteString("time", Time(e.Time));
                w.WriteString("person", e.Person);
                w.WritePropertyName("attributes");
                using (var attributes = JsonDocument.Parse(e.AttributesJson))
                {
                    attributes.RootElement.WriteTo(w);
                }

                w.WriteEndObject();
            }

            buffer.Write("\n"u8);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string DirectoryCsv(Simulation simulation)
    {
        var sb = new StringBuilder(DirectoryCsvParser.DirectoryHeader).Append('\n');
        foreach (var r in simulation.Directory())
        {
            sb.Append(Field(r.Person)).Append(',').Append(Field(r.Department)).Append(',').Append(Levels.Name(r.Level)).Append(',')
              .Append(Story.Iso(r.From)).Append(',').Append(r.To is { } to ? Story.Iso(to) : string.Empty).Append('\n');
        }

        return sb.ToString();
    }

    private static string CoursesCsv(Simulation simulation)
    {
        var sb = new StringBuilder(DirectoryCsvParser.CoursesHeader).Append('\n');
        foreach (var c in simulation.Courses)
        {
            sb.Append(Field(c.Id)).Append(',').Append(string.Join(';', c.Levels.Select(Levels.Name))).Append('\n');
        }

        return sb.ToString();
    }

    private static string IdentityMapCsv(Simulation simulation)
    {
        var sb = new StringBuilder(DirectoryCsvParser.IdentitiesHeader).Append('\n');
        foreach (var link in simulation.Truth.Identities)
        {
            sb.Append(Field(link.Identity)).Append(',').Append(Field(link.Person)).Append('\n');
        }

        return sb.ToString();
    }

    private static byte[] DifferencesJson(Simulation simulation)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("firstDay", Story.Iso(simulation.Story.First));
            w.WriteString("endDay", Story.Iso(simulation.Story.End));
            w.WriteString("timeZone", simulation.Options.TimeZone);
            w.WriteNumber("events", simulation.Truth.Events.Count);
            w.WriteStartArray("differences");
            foreach (var d in Differences(simulation))
            {
                w.WriteStartObject();
                w.WriteString("source", d.Source);
                w.WriteString("item", d.ItemId);
                w.WriteString("kind", Kind(d.Kind));
                w.WriteString("reason", d.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static string DifferencesMarkdown(Simulation simulation)
    {
        var s = simulation.Story;
        var sb = new StringBuilder();
        sb.Append("# Expected differences between the connectors and this export\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"History {Story.Iso(s.First)} to {Story.Iso(s.End.AddDays(-1))} ({s.Days} days, zone {simulation.Options.TimeZone}), ");
        sb.Append(CultureInfo.InvariantCulture, $"{simulation.Company.Employees.Count} people, {simulation.Truth.Events.Count} events, seed {simulation.Options.Seed}.\n\n");
        sb.Append("`events.jsonl` holds exactly the events the connectors map from the simulator's APIs under the settings in ");
        sb.Append("`connectors.appsettings.json`. The items below are served but are not events of the export:\n\n");
        sb.Append("- **rejected**: malformed or unusable items; each connector must report them as bad items (the sync's EventGuard rejects the 1970 timestamp).\n");
        sb.Append("- **voided**: xAPI statements voided later; the LRS never lists them, only their voiding statement, which is an `event.retracted` in the export.\n");
        sb.Append("- **unresolved**: identities no directory row holds; their events are in the export and in the journal, and count in no KPI on either path.\n");
        sb.Append("- **outside-query**: Jira issues outside the JQL restriction; the connector never reads them.\n\n");
        sb.Append("The directory and the course catalog come from `directory.csv` and `courses.csv` on both paths: the Graph connector ");
        sb.Append("only sees today's users and dates every change at its sync day, so it cannot rebuild the effective-dated history ");
        sb.Append("(hires, leavers, promotions, the reorg). Its snapshot equals the open rows of `directory.csv`.\n\n");
        sb.Append("| source | item | kind | reason |\n|---|---|---|---|\n");
        foreach (var d in Differences(simulation))
        {
            sb.Append(CultureInfo.InvariantCulture, $"| {d.Source} | `{d.ItemId.Replace("|", "\\|", StringComparison.Ordinal)}` | {Kind(d.Kind)} | {d.Reason} |\n");
        }

        return sb.ToString();
    }

    private static IEnumerable<ExpectedDifference> Differences(Simulation simulation) =>
        simulation.Truth.Differences.OrderBy(d => d.Source, StringComparer.Ordinal).ThenBy(d => d.Kind).ThenBy(d => d.ItemId, StringComparer.Ordinal);

    private static string Kind(DifferenceKind kind) => kind switch
    {
        DifferenceKind.Rejected => "rejected",
        DifferenceKind.Unresolved => "unresolved",
        DifferenceKind.Voided => "voided",
        DifferenceKind.Ignored => "ignored",
        _ => "outside-query",
    };

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
