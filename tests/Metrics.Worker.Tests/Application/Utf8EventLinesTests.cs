using System.Text;
using Metrics.Core.Events;
using Metrics.Worker.Application;

namespace Metrics.Worker.Tests.Application;

/// <summary>
/// The import's byte path (<see cref="CanonicalImporter.ParseEventLines(Stream, PlausibleTimeRange?, TimeProvider?)"/>)
/// against its text path (a <see cref="StreamReader"/> with <see cref="CanonicalImporter.StrictUtf8"/>, which the import
/// used before and the push API still uses): the same lines, line numbers, verdicts, reasons and events.
/// </summary>
public sealed class Utf8EventLinesTests
{
    private static readonly int Max = EventLineParser.MaxLineLength;

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    }

    private static string Event(int id, string person = "ana@example.com", string time = "2026-03-03T10:00:00+01:00") =>
        $$$"""{"source":"lms","id":"e{{{id}}}","type":"ai.used","time":"{{{time}}}","person":"{{{person}}}","attributes":{"tool":"copilot"}}""";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Join(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    public static TheoryData<string, byte[]> Files()
    {
        var bom = new byte[] { 0xEF, 0xBB, 0xBF };
        var data = new TheoryData<string, byte[]>
        {
            { "LF lines", Utf8($"{Event(1)}\n{Event(2)}\n") },
            { "CRLF lines", Utf8($"{Event(1)}\r\n{Event(2)}\r\n") },
            { "lone CR inside and at the end of a line", Utf8($"{Event(1)}\r{Event(2)}\n{Event(3)}\r\r\n") },
            { "blank lines, CR-only lines, whitespace line", Utf8($"\n\r\n{Event(1)}\n  \n\n{Event(2)}") },
            { "last line without newline", Utf8($"{Event(1)}\n{Event(2)}") },
            { "last line ending in CR without newline", Utf8($"{Event(1)}\n{Event(2)}\r") },
            { "empty file", [] },
            { "only a newline", Utf8("\n") },
            { "BOM at the start", Join(bom, Utf8($"{Event(1)}\n{Event(2)}\n")) },
            { "BOM only", bom },
            { "half a BOM", [0xEF, 0xBB] },
            { "BOM at the start of the second line", Join(Utf8($"{Event(1)}\n"), bom, Utf8($"{Event(2)}\n")) },
            { "BOM twice at the start", Join(bom, bom, Utf8($"{Event(1)}\n")) },
            { "U+FEFF inside a string", Utf8($"{Event(1, person: "a\uFEFFb@example.com")}\n") },
            { "invalid bytes in a string", Join(Utf8("""{"source":"lms","id":"x","type":"ai.used","time":"2026-03-03T10:00:00Z","person":"a"""), [0xC3, 0x28, 0xFF], Utf8("\"}\n"), Utf8(Event(2))) },
            { "encoded surrogate", Join(Utf8("{\"source\":\""), [0xED, 0xA0, 0x80], Utf8("\"}\n"), Utf8(Event(2))) },
            { "truncated sequence before the newline", Join(Utf8(Event(1)), [0xE2, 0x82], Utf8("\n"), Utf8(Event(2))) },
            { "literal U+FFFF", Utf8($"{Event(1, person: "a\uFFFFb@example.com")}\n{Event(2)}") },
            { "non-ASCII keys and 4-byte characters", Utf8($"{Event(1, person: "zoë.ümit@例え.jp")}\n{Event(2, person: "😀@example.com")}\n") },
            { "not JSON, not an object, bad time, year 1", Utf8($"not json\n[1]\n{Event(1, time: "2026-03-03T10:00:00")}\n{Event(2, time: "0001-01-01T00:00:00Z")}\n") },
            { "a time in the future", Utf8($"{Event(1, time: "2027-06-01T00:00:00Z")}\n") },
        };

        // At and around the limit (UTF-16 characters, counted with a trailing CR as the text path counts them).
        static string Padded(int length, string fill)
        {
            var head = "{\"source\":\"";
            var body = new StringBuilder(head);
            while (body.Length + fill.Length <= length - 2)
            {
                body.Append(fill);
            }

            while (body.Length < length - 2)
            {
                body.Append('x');
            }

            return body.Append("\"}").ToString();
        }

        foreach (var (name, fill) in new[] { ("ASCII", "x"), ("2-byte", "é"), ("3-byte", "あ"), ("4-byte", "😀") })
        {
            data.Add($"{name} line of exactly the limit", Utf8($"{Event(1)}\n{Padded(Max, fill)}\n{Event(2)}\n"));
            data.Add($"{name} line one over the limit", Utf8($"{Event(1)}\n{Padded(Max + 1, fill)}\n{Event(2)}\n"));
            data.Add($"{name} line of the limit plus CR", Utf8($"{Event(1)}\n{Padded(Max, fill)}\r\n{Event(2)}\n"));
            data.Add($"{name} line of the limit minus one plus CR", Utf8($"{Event(1)}\n{Padded(Max - 1, fill)}\r\n{Event(2)}\n"));
            data.Add($"{name} over-long last line without newline", Utf8($"{Event(1)}\n{Padded(Max + 10, fill)}"));
        }

        data.Add("10 MB line", Utf8($"{Event(1)}\n{new string('x', 10_000_000)}\n{Event(2)}\n"));
        data.Add("10 MB line at the end", Utf8($"{Event(1)}\n{new string('x', 10_000_000)}"));
        data.Add("3-byte characters just over three times the limit in bytes", Utf8($"{new string('あ', Max)}x\n{Event(1)}"));

        // Enough lines of varied lengths that the reader's buffer ends inside lines, CRs and multi-byte characters.
        var random = new Random(7);
        var many = new StringBuilder();
        for (var i = 0; i < 30_000; i++)
        {
            var person = new string('é', random.Next(0, 40)) + "😀" + i + "@example.com";
            many.Append(Event(i, person)).Append(random.Next(3) == 0 ? "\r\n" : "\n");
            if (random.Next(50) == 0)
            {
                many.Append('\n');
            }
        }

        data.Add("30,000 lines across buffer boundaries", Utf8(many.ToString()));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files), DisableDiscoveryEnumeration = true)]
    public void ParseEventLines_BytesAgainstText_SameLinesVerdictsReasonsAndEvents(string name, byte[] file)
    {
        var clock = new FixedClock();
        using var text = new StreamReader(new MemoryStream(file), CanonicalImporter.StrictUtf8, detectEncodingFromByteOrderMarks: true);
        var expected = CanonicalImporter.ParseEventLines(text, null, clock).ToList();

        var actual = CanonicalImporter.ParseEventLines(new MemoryStream(file), null, clock).ToList();

        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i] == actual[i], $"{name}: line {expected[i].Line}: text path {Describe(expected[i])}, byte path {Describe(actual[i])}");
        }
    }

    [Fact]
    public void ParseEventLines_FileWithEveryKindOfLine_YieldsTheExpectedVerdicts()
    {
        var file = Join([0xEF, 0xBB, 0xBF], Utf8($"{Event(1)}\r\n\n{new string('x', Max + 1)}\nnot json\r\n"), [0xFF], Utf8($"\n{Event(2)}"));

        var lines = CanonicalImporter.ParseEventLines(new MemoryStream(file), null, new FixedClock()).ToList();

        Assert.Equal([1L, 3, 4, 5, 6], lines.Select(l => l.Line));
        Assert.Equal("e1", lines[0].Result.Value?.Id);
        Assert.Equal($"line longer than {Max} characters", lines[1].Result.Error);
        Assert.StartsWith("not valid JSON", lines[2].Result.Error, StringComparison.Ordinal);
        Assert.Equal("not valid UTF-8", lines[3].Result.Error);
        Assert.Equal("e2", lines[4].Result.Value?.Id);
    }

    private static string Describe((long Line, ParseResult<CanonicalEvent> Result) line) =>
        line.Result.Value is { } e ? $"event {e.Source}/{e.Id}" : $"rejected: {line.Result.Error}";
}
