using System.Globalization;
using System.Text;
using Metrics.Core.Events;

namespace Metrics.Core.Tests.Events;

/// <summary>
/// The UTF-8 parser against the JsonDocument parser it replaced (<see cref="LegacyEventLineParser"/>), over generated
/// valid and hostile lines: the same verdict, the same event (offset and attribute text included) and the same reason.
/// Where they differ on purpose:
/// <list type="bullet">
/// <item>an escaped property name holding a lone surrogate (<c>{"\ud800":1}</c>): JsonDocument.Parse threw
/// InvalidOperationException out of the old parser (the import stopped); the new one rejects the line with
/// "not valid text: " and the same exception message;</item>
/// <item>a string with an unpaired surrogate char (never from a file, which is decoded first): the old parser threw
/// ArgumentException; the new one rejects the line with a reason that starts with "not valid text: ".</item>
/// </list>
/// </summary>
public class EventLineParserDifferentialTests
{
    private static readonly string[] Types =
    [
        "ai.used", "training.enrolled", "training.completed", "proposal.submitted", "proposal.adopted", "decision.recorded",
        "project.started", "project.completed", "project.failed", "project.retrospective", "project.member",
        "prototype.created", "knowledge.shared", "event.retracted",
    ];

    private static readonly string[] Subjects = ["course", "proposal", "decision", "project", "target", "prototype", "artifact"];

    [Fact]
    public void Parse_GeneratedLines_SameVerdictsAsJsonDocumentParser()
    {
        var random = new Random(12);
        var mismatches = new List<string>();
        var outcomes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 40_000; i++)
        {
            var line = Mutate(random, Line(random));
            var result = EventLineParser.Parse(line);
            Compare(line, result, mismatches);
            Compare(line, EventLineParser.Parse(Encoding.UTF8.GetBytes(line)), mismatches);
            outcomes.Add(result.Error is { } error ? error.Split(' ', 4)[..Math.Min(3, error.Split(' ').Length)].Aggregate((a, b) => a + " " + b) : "accepted");
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches, first: {string.Join("\n", mismatches.Take(5))}");
        // The generator reaches every kind of verdict, or the comparison above proves little.
        Assert.Superset(
            new HashSet<string>(["accepted", "not valid JSON:", "not valid text:", "not a JSON", "missing or empty", "missing or non-string", "unknown type '", "'attributes' is not", "'source' longer than", "'id' longer than", "attribute 'course' longer"], StringComparer.Ordinal),
            outcomes);
        Assert.Contains(outcomes, o => o.StartsWith("time '", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_BrokenUtf8Bytes_RejectedAsNotUtf8OrAsTheDecodedText()
    {
        var random = new Random(7);
        var mismatches = new List<string>();
        for (var i = 0; i < 5_000; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(Line(random));
            bytes[random.Next(bytes.Length)] = (byte)random.Next(0x80, 0x100);
            var actual = EventLineParser.Parse(bytes);
            if (!System.Text.Unicode.Utf8.IsValid(bytes))
            {
                if (actual.Error != EventLineParser.NotUtf8)
                {
                    mismatches.Add($"{Convert.ToHexString(bytes)}: {actual.Error}");
                }

                continue;
            }

            Compare(Encoding.UTF8.GetString(bytes), actual, mismatches);
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches, first: {string.Join("\n", mismatches.Take(5))}");
    }

    [Theory]
    [InlineData("""{"\ud800":1}""")]
    [InlineData("""{"source":"s","id":"1","type":"ai.used","time":"2026-03-02T09:15:00Z","person":"a","attributes":{"a\udc00":1}}""")]
    public void Parse_EscapedLoneSurrogateName_RejectedWhereTheOldParserThrew(string line)
    {
        var old = Assert.Throws<InvalidOperationException>(() => LegacyEventLineParser.Parse(line));

        Assert.Equal($"not valid text: {old.Message}", EventLineParser.Parse(line).Error);
    }

    [Fact]
    public void Parse_LoneSurrogateChar_RejectedWhereTheOldParserThrew()
    {
        var line = "{\"source\":\"s\uD800\"}";

        Assert.Throws<ArgumentException>(() => LegacyEventLineParser.Parse(line));
        Assert.StartsWith("not valid text: ", EventLineParser.Parse(line).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OverLongLines_SameVerdicts()
    {
        var mismatches = new List<string>();
        var head = """{"source":"s","id":"1","type":"ai.used","time":"2026-03-02T09:15:00Z","person":"a","attributes":{"x":" """;
        foreach (var filler in new[] { "x", "é", "€", "😀" })
        {
            foreach (var extra in new[] { -2, -1, 0, 1 })
            {
                var fill = (EventLineParser.MaxLineLength - head.Length - 3 + extra) / filler.Length;
                var line = head + string.Concat(Enumerable.Repeat(filler, Math.Max(fill, 0))) + "\"}}";
                Compare(line, EventLineParser.Parse(line), mismatches);
                Compare(line, EventLineParser.Parse(Encoding.UTF8.GetBytes(line)), mismatches);
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches, first: {string.Join("\n", mismatches.Take(5))}");
    }

    [Fact]
    public void TryParseTime_GeneratedTimes_SameAsRegexAndTryParse()
    {
        var random = new Random(3);
        var mismatches = new List<string>();
        var fixedTimes = new[]
        {
            "2026-03-02T09:15:00Z", "2026-03-02T09:15:00.123+05:30", "2026-03-02T09:15:00-0800", "2026-03-02T09:15+01:00",
            "2026-03-02T09:15:00.00000005Z", "2026-03-02T09:15:00.00000015Z", "2026-03-02T09:15:00.999999995Z",
            "2026-03-02T09:15:00.123456789+01:00", "2024-02-29T23:59:59.9999999+14:00", "2023-02-29T00:00:00Z",
            "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "2026-03-02T24:00:00Z", "2026-03-02T23:59:60Z",
            "2026-03-02T09:15:00Z\n", "2026-03-02T09:15:00+01:60", "2026-03-02T09:15:00+1460", "2026-03-02T09:15:00+14:01",
            "2026-03-02t09:15:00Z", "2026-03-02T09:15:00z", "2026-03-02 09:15:00Z", "２０２６-03-02T09:15:00Z", "2026-03-0٢T09:15:00Z",
            " 2026-03-02T09:15:00Z", "2026-03-02T09:15:00Z ", "2026-03-02T09:15:00.Z", "2026-03-02T09:15:00.1234567890Z",
            "2026-03-02T09:15.5Z", "2026-03-02T09:15:00+01", "2026-03-02T09:15:00+01:0", "", "yesterday",
        };
        foreach (var text in fixedTimes.Concat(Enumerable.Range(0, 60_000).Select(_ => Time(random))))
        {
            var expectedOk = LegacyEventLineParser.TryParseTime(text, out var expected);
            var actualOk = EventLineParser.TryParseTime(text, out var actual);
            if (expectedOk != actualOk || !expected.EqualsExact(actual))
            {
                mismatches.Add($"'{text}': {expectedOk} {expected:o} vs {actualOk} {actual:o}");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches, first: {string.Join("\n", mismatches.Take(5))}");
    }

    private static void Compare(string line, ParseResult<CanonicalEvent> actual, List<string> mismatches)
    {
        ParseResult<CanonicalEvent> expected;
        try
        {
            expected = LegacyEventLineParser.Parse(line);
        }
        catch (InvalidOperationException ex)
        {
            expected = ParseResult<CanonicalEvent>.Fail($"not valid text: {ex.Message}");
        }
        catch (ArgumentException)
        {
            if (actual.Error?.StartsWith("not valid text: ", StringComparison.Ordinal) != true)
            {
                mismatches.Add($"{line}\n  old threw ArgumentException, new: {actual.Error}");
            }

            return;
        }

        var same = expected.Error == actual.Error
            && (expected.Value is null) == (actual.Value is null)
            && (expected.Value is null || (expected.Value == actual.Value && expected.Value.Time.EqualsExact(actual.Value!.Time)));
        if (!same)
        {
            mismatches.Add($"{line}\n  old: {Describe(expected)}\n  new: {Describe(actual)}");
        }
    }

    private static string Describe(ParseResult<CanonicalEvent> result) =>
        result.Value is { } e ? $"{e} offset {e.Time.Offset}" : $"rejected: {result.Error}";

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    /// <summary>A line that is mostly valid, with the fields in any order and sometimes of the wrong kind.</summary>
    private static string Line(Random random)
    {
        var type = random.Next(20) == 0 ? Pick(random, "ai.abused", "AI.USED", "", " ai.used") : Pick(random, Types);
        var fields = new List<string>();
        void Add(string name, string value)
        {
            if (random.Next(30) != 0)
            {
                fields.Add($"{Key(random, name)}:{value}");
            }
        }

        Add("source", Str(random, Pick(random, "lms", " git ", "gitHub", "s", "\u00e9t\u00e9", new string('s', 512), new string('s', 513), " " + new string('s', 512) + " ")));
        Add("id", Str(random, Pick(random, "1", "st-1", "a b", "\t", "x\u0000y", new string('i', 513))));
        Add("person", Str(random, Pick(random, " Ana@Example.com ", "BOB", "\u0130stanbul@x", "a", "\u00c9mile@x.fr", "  ", "\u2003ana\u2003")));
        Add("type", random.Next(15) == 0 ? "7" : Str(random, type));
        Add("time", random.Next(15) == 0 ? "null" : Str(random, Time(random)));
        if (random.Next(6) != 0)
        {
            Add("attributes", random.Next(15) == 0 ? Pick(random, "null", "[]", "1", "\"x\"", "true") : Attributes(random));
        }

        if (random.Next(4) == 0)
        {
            fields.Add($"{Str(random, Pick(random, "extra", "note", " ", ""))}:{Json(random, 0)}");
        }

        var ordered = fields.OrderBy(_ => random.Next()).ToList();
        var space = random.Next(5) == 0 ? " " : "";
        return "{" + space + string.Join("," + space, ordered) + space + "}";
    }

    private static string Attributes(Random random)
    {
        var fields = new List<string>();
        foreach (var subject in Subjects)
        {
            if (random.Next(3) == 0)
            {
                fields.Add($"{Key(random, subject)}:{(random.Next(8) == 0 ? Pick(random, "7", "null", "true", "{}") : Str(random, Pick(random, "ai-basics", " C1 ", "  ", "", "P\u00e9", new string('c', 513))))}");
            }
        }

        if (random.Next(2) == 0)
        {
            fields.Add($"{Key(random, "aiAssisted")}:{Pick(random, "true", "false", "\"yes\"", "null", "1")}");
        }

        if (random.Next(3) == 0)
        {
            fields.Add($"{Key(random, "tool")}:{Pick(random, "\"copilot\"", "null", "1", "[]", "{}", "false")}");
        }

        if (random.Next(4) == 0)
        {
            fields.Add($"\"nested\":{Json(random, 0)}");
        }

        return "{" + string.Join(",", fields.OrderBy(_ => random.Next())) + "}";
    }

    /// <summary>Any JSON value, sometimes with repeated names in its objects.</summary>
    private static string Json(Random random, int depth)
    {
        switch (random.Next(depth > 3 ? 3 : 6))
        {
            case 0:
                return Pick(random, "1", "-0.5e3", "true", "false", "null", "\"s\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"");
            case 1:
                return "\"" + Pick(random, "a", "b\\\"c", "\\u0041") + "\"";
            case 2:
                return Pick(random, "[]", "{}");
            case 3:
                return "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => Json(random, depth + 1))) + "]";
            default:
                var names = Enumerable.Range(0, random.Next(1, 5)).Select(_ => Pick(random, "a", "b", "\\u0061", "c", " ")).ToList();
                if (random.Next(3) != 0)
                {
                    names = [.. names.Distinct(StringComparer.Ordinal)];
                }

                return "{" + string.Join(",", names.Select(n => $"\"{n}\":{Json(random, depth + 1)}")) + "}";
        }
    }

    private static string Key(Random random, string name) => random.Next(25) switch
    {
        0 => "\"" + string.Concat(name.Select(c => $"\\u{(int)c:x4}")) + "\"",
        1 => "\"" + name[..1] + "\\u" + ((int)name[1]).ToString("x4", CultureInfo.InvariantCulture) + name[2..] + "\"",
        2 => "\"" + name.ToUpperInvariant() + "\"",
        _ => "\"" + name + "\"",
    };

    private static string Str(Random random, string value)
    {
        var escaped = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\t", "\\t", StringComparison.Ordinal).Replace("\0", "\\u0000", StringComparison.Ordinal);
        return random.Next(20) == 0 && escaped.Length > 0 ? "\"\\u" + ((int)escaped[0]).ToString("x4", CultureInfo.InvariantCulture) + escaped[1..] + "\"" : "\"" + escaped + "\"";
    }

    private static string Time(Random random)
    {
        if (random.Next(3) != 0)
        {
            var t = new DateTime(2020, 1, 1).AddSeconds(random.Next(0, 200_000_000));
            var frac = random.Next(4) switch
            {
                0 => "",
                1 => "." + random.Next(1000).ToString("000", CultureInfo.InvariantCulture),
                2 => "." + random.Next(10_000_000).ToString("0000000", CultureInfo.InvariantCulture),
                _ => "." + string.Concat(Enumerable.Range(0, random.Next(1, 11)).Select(_ => (char)('0' + random.Next(10)))),
            };
            var secs = random.Next(8) == 0 ? "" : ":" + t.ToString("ss", CultureInfo.InvariantCulture) + frac;
            var zone = Pick(random, "Z", "+01:00", "-08:00", "+0530", "-0000", "+13:45", "+14:00", "-14:00", "+14:30", "");
            return t.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) + secs + zone;
        }

        var text = Pick(random, "0000", "0001", "0002", "1969", "2024", "2026", "9998", "9999")
            + "-" + Pick(random, "00", "01", "02", "12", "13")
            + "-" + Pick(random, "00", "01", "28", "29", "30", "31", "32")
            + Pick(random, "T", "T", "T", "t", " ")
            + Pick(random, "00", "09", "23", "24", "25") + ":" + Pick(random, "00", "59", "60")
            + Pick(random, "", ":00", ":59", ":60", ":61", ":00.5", ":00.00000005", ":59.999999995", ":00.123456789", ":00.1234567891")
            + Pick(random, "Z", "z", "+00:00", "-00:00", "+0100", "+01:00", "+14:00", "+14:01", "-14:00", "+13:59", "+1460", "+01:60", "+24:00", "+99:99", "+1", "")
            + Pick(random, "", "", "", "\n", " ", "x");
        return random.Next(20) == 0 ? text.Replace('2', '\u0662') : text;
    }

    /// <summary>Hostile changes: duplicates, deep nesting, truncation, trailing text, a BOM, literals in place of strings.</summary>
    private static string Mutate(Random random, string line)
    {
        switch (random.Next(16))
        {
            case 0:
                return line.Insert(1, Pick(random, "\"person\":\"x\",", "\"p\\u0065rson\":\"x\",", "\"extra\":1,\"extra\":2,", "\"attributes\":{},"));
            case 1:
                return line.Replace("{\"", "{\"dup\":1,\"dup\":2,\"", StringComparison.Ordinal);
            case 2:
                var depth = random.Next(12, 19);
                return line.Insert(1, "\"deep\":" + new string('[', depth) + new string(']', depth) + ",");
            case 3:
                var objects = random.Next(12, 19);
                return line.Insert(1, "\"deep\":" + string.Concat(Enumerable.Repeat("{\"a\":", objects)) + "1" + new string('}', objects) + ",");
            case 4:
                return line[..random.Next(line.Length)];
            case 5:
                return line + Pick(random, "x", " ", "{}", ",", "\u00a0", "\r");
            case 6:
                return "\uFEFF" + line;
            case 7:
                return line.Insert(1, Pick(random, "\"\\ud800x\":1,", "\"k\":\"\\ud800\",", "\"k\":\"\\udc00\\ud800\",", "\"  \":1,\" \":2,"));
            case 8:
                return line.Replace("\"person\":", "\"person\":\"\\ud83d\\ude00\",\"x\":", StringComparison.Ordinal);
            case 9:
                return Pick(random, "[1,2]", "1", "\"s\"", "null", "", " ", "{}", "{\"a\":1}{", "[{\"a\":1,\"a\":2}]", "{\"a\":{\"b\":1,\"b\":2},\"a\":3}", "[{\"a\":1", "{\"\\ud800\":1,\"x\":2,\"x\":3}", "{\"x\":1,\"x\":2,\"\\ud800\":1}", "{\"a\":1 /* c */}", "{\"a\":1,}");
            case 10:
                var many = string.Concat(Enumerable.Range(0, random.Next(10, 40)).Select(i => $"\"n{i % 25}\":{i},"));
                return line.Insert(1, many);
            default:
                return line;
        }
    }
}
