using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Metrics.Core.Events;

namespace Metrics.Core.Tests.Events;

/// <summary>
/// The line parser as it was before it read UTF-8 bytes (JsonDocument over a string, the regex plus
/// DateTimeOffset.TryParse for the time): the oracle of <see cref="EventLineParserDifferentialTests"/>. Kept verbatim but for its constants.
/// </summary>
internal static partial class LegacyEventLineParser
{
    private const int MaxLineLength = EventLineParser.MaxLineLength;
    private const int MaxKeyLength = EventLineParser.MaxKeyLength;

    public static ParseResult<CanonicalEvent> Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length > MaxLineLength)
        {
            return ParseResult<CanonicalEvent>.Fail($"line longer than {MaxLineLength} characters");
        }

        JsonDocument doc;
        try
        {
            // Duplicate keys are refused: which of two "person" values would be meant is a guess, not a reading.
            doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            return ParseResult<CanonicalEvent>.Fail($"not valid JSON: {ex.Message}");
        }

        using (doc)
        {
            try
            {
                return Read(doc.RootElement);
            }
            catch (InvalidOperationException ex)
            {
                // GetString throws on an escaped lone surrogate ("\ud800"): one such line is rejected, never the file.
                return ParseResult<CanonicalEvent>.Fail($"not valid text: {ex.Message}");
            }
        }
    }

    private static ParseResult<CanonicalEvent> Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ParseResult<CanonicalEvent>.Fail("not a JSON object");
        }

        if (!TryKey(root, "source", out var source, out var error)
            || !TryKey(root, "id", out var id, out error)
            || !TryKey(root, "person", out var person, out error))
        {
            return ParseResult<CanonicalEvent>.Fail(error!);
        }

        if (!root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
        {
            return ParseResult<CanonicalEvent>.Fail("missing or non-string 'type'");
        }

        var typeName = typeElement.GetString()!;
        if (!EventTypes.TryParse(typeName, out var type))
        {
            return ParseResult<CanonicalEvent>.Fail($"unknown type '{Truncate(typeName)}'");
        }

        if (!root.TryGetProperty("time", out var timeElement) || timeElement.ValueKind != JsonValueKind.String)
        {
            return ParseResult<CanonicalEvent>.Fail("missing or non-string 'time'");
        }

        var timeText = timeElement.GetString()!;
        if (!TryParseTime(timeText, out var time))
        {
            return ParseResult<CanonicalEvent>.Fail($"time '{Truncate(timeText)}' is not ISO 8601 with an offset");
        }

        var attributes = root.TryGetProperty("attributes", out var attrs) ? attrs : default;
        if (attributes.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined))
        {
            return ParseResult<CanonicalEvent>.Fail("'attributes' is not an object");
        }

        string? subject = null;
        var subjectName = EventTypes.SubjectAttribute(type);
        if (subjectName is not null)
        {
            if (attributes.ValueKind != JsonValueKind.Object
                || !attributes.TryGetProperty(subjectName, out var subjectElement)
                || subjectElement.ValueKind != JsonValueKind.String
                || string.IsNullOrWhiteSpace(subjectElement.GetString()))
            {
                return ParseResult<CanonicalEvent>.Fail($"{typeName} requires a non-empty string attribute '{subjectName}'");
            }

            subject = subjectElement.GetString()!.Trim();
            if (subject.Length > MaxKeyLength)
            {
                return ParseResult<CanonicalEvent>.Fail($"attribute '{subjectName}' longer than {MaxKeyLength} characters");
            }
        }

        var aiAssisted = false;
        if (type == EventType.DecisionRecorded)
        {
            if (!attributes.TryGetProperty("aiAssisted", out var flag) || flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return ParseResult<CanonicalEvent>.Fail("decision.recorded requires a boolean attribute 'aiAssisted'");
            }

            aiAssisted = flag.GetBoolean();
        }

        if (type == EventType.AiUsed && attributes.ValueKind == JsonValueKind.Object
            && attributes.TryGetProperty("tool", out var tool) && tool.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            return ParseResult<CanonicalEvent>.Fail("ai.used attribute 'tool' must be a string");
        }

        var attributesJson = attributes.ValueKind == JsonValueKind.Object ? attributes.GetRawText() : "{}";
        return ParseResult<CanonicalEvent>.Ok(new CanonicalEvent(
            source, id, type, time, PersonKey.Normalize(person), subject, aiAssisted, attributesJson));
    }

    /// <summary>Parses an ISO 8601 time that carries an explicit offset (<c>Z</c>, <c>+01:00</c> or <c>+0100</c>).</summary>
    public static bool TryParseTime(string text, out DateTimeOffset time)
    {
        time = default;
        return IsoWithOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    private static bool TryKey(JsonElement root, string name, out string value, out string? error)
    {
        value = string.Empty;
        error = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(element.GetString()))
        {
            error = $"missing or empty '{name}'";
            return false;
        }

        value = element.GetString()!.Trim();
        if (value.Length > MaxKeyLength)
        {
            error = $"'{name}' longer than {MaxKeyLength} characters";
            return false;
        }

        return true;
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "...");

    // ISO 8601 with a mandatory offset: a time without one cannot be placed on a day in the org's zone.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoWithOffset();
}
