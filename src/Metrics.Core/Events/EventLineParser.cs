using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace Metrics.Core.Events;

/// <summary>The outcome of parsing one JSON Lines record: an event, or the reason it was rejected.</summary>
public readonly record struct ParseResult<T>(T? Value, string? Error)
    where T : class
{
    public bool IsValid => Value is not null;

    public static ParseResult<T> Ok(T value) => new(value, null);

    public static ParseResult<T> Fail(string error) => new(null, error);
}

/// <summary>
/// Parses canonical events in the import format of the spec (one JSON object per line). The work happens over the
/// line's UTF-8 bytes with <see cref="Utf8JsonReader"/> in one pass: no document, no string for the line, the time
/// and type read from the bytes. The verdicts and reasons are those of a <see cref="JsonDocument"/> parse with
/// <c>MaxDepth = 16</c> and <c>AllowDuplicateProperties = false</c> (tests/Metrics.Core.Tests/Events/EventLineParserDifferentialTests.cs).
/// </summary>
public static partial class EventLineParser
{
    /// <summary>Lines longer than this (in UTF-16 characters) are rejected unread: a hostile or corrupt file must not exhaust memory.</summary>
    public const int MaxLineLength = 64 * 1024;

    /// <summary>Source, id and person longer than this are rejected: they are keys, not payloads.</summary>
    public const int MaxKeyLength = 512;

    /// <summary>The reason for a line that is not UTF-8 (undecodable bytes, or U+FFFF where a reader marked them).</summary>
    public const string NotUtf8 = "not valid UTF-8";

    private const int MaxDepth = 16;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly ParseResult<CanonicalEvent> TooLong = ParseResult<CanonicalEvent>.Fail($"line longer than {MaxLineLength} characters");

    [ThreadStatic]
    private static Scratch? t_scratch;

    // ISO 8601 with a mandatory offset: a time without one cannot be placed on a day in the org's zone.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoWithOffset();

    public static ParseResult<CanonicalEvent> Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Length > MaxLineLength)
        {
            return TooLong;
        }

        var rented = ArrayPool<byte>.Shared.Rent(StrictUtf8.GetMaxByteCount(line.Length));
        try
        {
            int length;
            try
            {
                length = StrictUtf8.GetBytes(line, rented);
            }
            catch (EncoderFallbackException)
            {
                // A lone surrogate char cannot be UTF-8; JsonDocument.Parse(string) threw ArgumentException here.
                return ParseResult<CanonicalEvent>.Fail("not valid text: the line holds a lone UTF-16 surrogate");
            }

            return Parse(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Parses one line given as UTF-8 bytes, without its line terminator.</summary>
    public static ParseResult<CanonicalEvent> Parse(ReadOnlySpan<byte> utf8Line)
    {
        if (utf8Line.Length > MaxLineLength && Encoding.UTF8.GetCharCount(utf8Line) > MaxLineLength)
        {
            return TooLong;
        }

        if (!Utf8.IsValid(utf8Line))
        {
            return ParseResult<CanonicalEvent>.Fail(NotUtf8);
        }

        var scratch = t_scratch ??= new Scratch();
        scratch.Reset();
        try
        {
            Scan(utf8Line, scratch);
        }
        catch (JsonException ex)
        {
            return ParseResult<CanonicalEvent>.Fail($"not valid JSON: {ex.Message}");
        }

        // JsonDocument checks names only once the whole text is valid JSON, innermost object first.
        if (scratch.NameError is { } nameError)
        {
            return ParseResult<CanonicalEvent>.Fail(nameError);
        }

        try
        {
            return Read(utf8Line, scratch);
        }
        catch (InvalidOperationException ex)
        {
            // Reading a string throws on an escaped lone surrogate ("\ud800"): one such line is rejected, never the file.
            return ParseResult<CanonicalEvent>.Fail($"not valid text: {ex.Message}");
        }
    }

    /// <summary>Reads the whole text (so every syntax error is found), records the fields and checks the names of every object.</summary>
    private static void Scan(ReadOnlySpan<byte> line, Scratch scratch)
    {
        var reader = new Utf8JsonReader(line, ReaderOptions);
        var pending = Field.None;
        var attributesDepth = -1;
        while (reader.Read())
        {
            var depth = reader.CurrentDepth;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var name = scratch.AddName(ref reader, depth);
                    pending = depth == 1 ? Lookup(name, RootFields)
                        : depth == 2 && attributesDepth == 1 ? Lookup(name, AttributeFields)
                        : Field.None;
                    continue;
                case JsonTokenType.StartObject:
                    scratch.StartObject(depth);
                    if (depth == 0)
                    {
                        scratch.RootIsObject = true;
                    }
                    else if (pending == Field.Attributes)
                    {
                        attributesDepth = depth;
                    }

                    break;
                case JsonTokenType.EndObject:
                    scratch.EndObject(depth, line);
                    if (depth == attributesDepth)
                    {
                        scratch.AttributesEnd = (int)reader.BytesConsumed;
                        attributesDepth = -1;
                    }

                    break;
            }

            if (pending != Field.None)
            {
                scratch.Record(pending, ref reader);
                pending = Field.None;
            }
        }
    }

    private static readonly (byte[] Name, Field Field)[] RootFields =
    [
        ("source"u8.ToArray(), Field.Source), ("id"u8.ToArray(), Field.Id), ("person"u8.ToArray(), Field.Person),
        ("type"u8.ToArray(), Field.Type), ("time"u8.ToArray(), Field.Time), ("attributes"u8.ToArray(), Field.Attributes),
    ];

    private static readonly (byte[] Name, Field Field)[] AttributeFields =
    [
        ("aiAssisted"u8.ToArray(), Field.AiAssisted), ("tool"u8.ToArray(), Field.Tool), ("course"u8.ToArray(), Field.Course),
        ("proposal"u8.ToArray(), Field.Proposal), ("decision"u8.ToArray(), Field.Decision), ("project"u8.ToArray(), Field.Project),
        ("target"u8.ToArray(), Field.Target), ("prototype"u8.ToArray(), Field.Prototype), ("artifact"u8.ToArray(), Field.Artifact),
    ];

    private static Field Lookup(ReadOnlySpan<byte> name, (byte[] Name, Field Field)[] fields)
    {
        foreach (var (candidate, field) in fields)
        {
            if (name.SequenceEqual(candidate))
            {
                return field;
            }
        }

        return Field.None;
    }

    private static Field SubjectField(string name) => name switch
    {
        "course" => Field.Course,
        "proposal" => Field.Proposal,
        "decision" => Field.Decision,
        "project" => Field.Project,
        "target" => Field.Target,
        "prototype" => Field.Prototype,
        "artifact" => Field.Artifact,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a subject attribute"),
    };

    private static ParseResult<CanonicalEvent> Read(ReadOnlySpan<byte> line, Scratch scratch)
    {
        if (!scratch.RootIsObject)
        {
            return ParseResult<CanonicalEvent>.Fail("not a JSON object");
        }

        if (!TryKey(line, scratch.Get(Field.Source), "source", out var source, out var error)
            || !TryKey(line, scratch.Get(Field.Id), "id", out var id, out error)
            || !TryKey(line, scratch.Get(Field.Person), "person", out var person, out error))
        {
            return ParseResult<CanonicalEvent>.Fail(error!);
        }

        var typeValue = scratch.Get(Field.Type);
        if (typeValue.Token != JsonTokenType.String)
        {
            return ParseResult<CanonicalEvent>.Fail("missing or non-string 'type'");
        }

        if (typeValue.Escaped || !EventTypes.TryParse(typeValue.Span(line), out var type))
        {
            var typeName = typeValue.GetString(line);
            if (!EventTypes.TryParse(typeName, out type))
            {
                return ParseResult<CanonicalEvent>.Fail($"unknown type '{Truncate(typeName)}'");
            }
        }

        var timeValue = scratch.Get(Field.Time);
        if (timeValue.Token != JsonTokenType.String)
        {
            return ParseResult<CanonicalEvent>.Fail("missing or non-string 'time'");
        }

        var time = default(DateTimeOffset);
        var fast = timeValue.Escaped ? TimeVerdict.Unsure : TryParseTimeFast(timeValue.Span(line), out time);
        if (fast != TimeVerdict.Accepted)
        {
            var timeText = timeValue.GetString(line);
            if (fast == TimeVerdict.Rejected || !TryParseTimeSlow(timeText, out time))
            {
                return ParseResult<CanonicalEvent>.Fail($"time '{Truncate(timeText)}' is not ISO 8601 with an offset");
            }
        }

        var attributes = scratch.Get(Field.Attributes);
        if (attributes.Token is not (JsonTokenType.StartObject or JsonTokenType.None))
        {
            return ParseResult<CanonicalEvent>.Fail("'attributes' is not an object");
        }

        var isObject = attributes.Token == JsonTokenType.StartObject;
        string? subject = null;
        var subjectName = EventTypes.SubjectAttribute(type);
        if (subjectName is not null)
        {
            var subjectValue = isObject ? scratch.Get(SubjectField(subjectName)) : default;
            var text = subjectValue.Token == JsonTokenType.String ? subjectValue.GetString(line) : null;
            if (string.IsNullOrWhiteSpace(text))
            {
                return ParseResult<CanonicalEvent>.Fail($"{EventTypes.Name(type)} requires a non-empty string attribute '{subjectName}'");
            }

            subject = text.Trim();
            if (subject.Length > MaxKeyLength)
            {
                return ParseResult<CanonicalEvent>.Fail($"attribute '{subjectName}' longer than {MaxKeyLength} characters");
            }
        }

        var aiAssisted = false;
        if (type == EventType.DecisionRecorded)
        {
            var flag = scratch.Get(Field.AiAssisted).Token;
            if (flag is not (JsonTokenType.True or JsonTokenType.False))
            {
                return ParseResult<CanonicalEvent>.Fail("decision.recorded requires a boolean attribute 'aiAssisted'");
            }

            aiAssisted = flag == JsonTokenType.True;
        }

        if (type == EventType.AiUsed && isObject
            && scratch.Get(Field.Tool).Token is not (JsonTokenType.None or JsonTokenType.String or JsonTokenType.Null))
        {
            return ParseResult<CanonicalEvent>.Fail("ai.used attribute 'tool' must be a string");
        }

        var attributesJson = isObject ? Encoding.UTF8.GetString(line[attributes.Start..scratch.AttributesEnd]) : "{}";
        return ParseResult<CanonicalEvent>.Ok(new CanonicalEvent(
            source, id, type, time, PersonKey.Normalize(person), subject, aiAssisted, attributesJson));
    }

    private static bool TryKey(ReadOnlySpan<byte> line, Value value, string name, out string text, out string? error)
    {
        text = string.Empty;
        error = null;
        var raw = value.Token == JsonTokenType.String ? value.GetString(line) : null;
        if (string.IsNullOrWhiteSpace(raw))
        {
            error = $"missing or empty '{name}'";
            return false;
        }

        text = raw.Trim();
        if (text.Length > MaxKeyLength)
        {
            error = $"'{name}' longer than {MaxKeyLength} characters";
            return false;
        }

        return true;
    }

    /// <summary>Parses an ISO 8601 time that carries an explicit offset (<c>Z</c>, <c>+01:00</c> or <c>+0100</c>).</summary>
    public static bool TryParseTime(string text, out DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(text);
        time = default;
        if (text.Length <= 64 && Ascii.IsValid(text))
        {
            Span<byte> bytes = stackalloc byte[text.Length];
            Ascii.FromUtf16(text, bytes, out _);
            var verdict = TryParseTimeFast(bytes, out time);
            if (verdict != TimeVerdict.Unsure)
            {
                return verdict == TimeVerdict.Accepted;
            }
        }

        return TryParseTimeSlow(text, out time);
    }

    private static bool TryParseTimeSlow(string text, out DateTimeOffset time)
    {
        time = default;
        return IsoWithOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    private enum TimeVerdict
    {
        Rejected,
        Accepted,

        /// <summary>Left to the regex and <see cref="DateTimeOffset.TryParse(string, IFormatProvider, DateTimeStyles, out DateTimeOffset)"/>.</summary>
        Unsure,
    }

    /// <summary>
    /// The common shapes read straight from the bytes. It accepts only what the regex plus DateTimeOffset.TryParse
    /// surely accept with the same value, and rejects only what the regex surely refuses; every edge (non-ASCII
    /// text, a trailing newline the regex's <c>$</c> lets through, 8-9 fraction digits whose rounding to ticks is
    /// TryParse's, invalid days, hour 24, second 60, years 1 and 9999, offsets of 14 h and more) is left to them.
    /// </summary>
    private static TimeVerdict TryParseTimeFast(ReadOnlySpan<byte> s, out DateTimeOffset time)
    {
        time = default;
        if (!Ascii.IsValid(s) || (s.Length > 0 && s[^1] == (byte)'\n'))
        {
            return TimeVerdict.Unsure;
        }

        if (s.Length < 17 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':'
            || !TwoDigits(s, 0, out var century) || !TwoDigits(s, 2, out var yy) || !TwoDigits(s, 5, out var month)
            || !TwoDigits(s, 8, out var day) || !TwoDigits(s, 11, out var hour) || !TwoDigits(s, 14, out var minute))
        {
            return TimeVerdict.Rejected;
        }

        var pos = 16;
        var second = 0;
        long fraction = 0;
        if (s[pos] == ':')
        {
            if (!TwoDigits(s, pos + 1, out second))
            {
                return TimeVerdict.Rejected;
            }

            pos += 3;
            if (pos < s.Length && s[pos] == '.')
            {
                var digits = 0;
                pos++;
                while (pos < s.Length && char.IsAsciiDigit((char)s[pos]))
                {
                    if (digits < 7)
                    {
                        fraction = (fraction * 10) + (s[pos] - '0');
                    }

                    digits++;
                    pos++;
                }

                if (digits is 0 or > 9)
                {
                    return TimeVerdict.Rejected;
                }

                if (digits > 7)
                {
                    return TimeVerdict.Unsure;
                }

                for (var i = digits; i < 7; i++)
                {
                    fraction *= 10;
                }
            }
        }

        if (pos >= s.Length)
        {
            return TimeVerdict.Rejected;
        }

        int offsetHours = 0, offsetMinutes = 0, sign = 1;
        var zone = s[pos..];
        if (zone.Length == 1 && zone[0] == 'Z')
        {
        }
        else if (zone.Length is 5 or 6 && zone[0] is (byte)'+' or (byte)'-'
            && TwoDigits(zone, 1, out offsetHours)
            && (zone.Length == 5 ? TwoDigits(zone, 3, out offsetMinutes) : zone[3] == ':' && TwoDigits(zone, 4, out offsetMinutes)))
        {
            sign = zone[0] == '-' ? -1 : 1;
        }
        else
        {
            return TimeVerdict.Rejected;
        }

        var year = (century * 100) + yy;
        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59 || offsetHours > 13 || offsetMinutes > 59)
        {
            return TimeVerdict.Unsure;
        }

        var clock = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fraction);
        time = new DateTimeOffset(clock, new TimeSpan(sign * offsetHours, sign * offsetMinutes, 0));
        return TimeVerdict.Accepted;
    }

    private static bool TwoDigits(ReadOnlySpan<byte> s, int at, out int value)
    {
        value = 0;
        if (at + 1 >= s.Length || !char.IsAsciiDigit((char)s[at]) || !char.IsAsciiDigit((char)s[at + 1]))
        {
            return false;
        }

        value = ((s[at] - '0') * 10) + (s[at + 1] - '0');
        return true;
    }

    private static string Truncate(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "...");

    private enum Field
    {
        None,
        Source,
        Id,
        Person,
        Type,
        Time,
        Attributes,
        AiAssisted,
        Tool,
        Course,
        Proposal,
        Decision,
        Project,
        Target,
        Prototype,
        Artifact,
    }

    /// <summary>Where a field's value sits in the line: its token, and for a string the text between the quotes.</summary>
    private readonly record struct Value(JsonTokenType Token, int Start, int Length, bool Escaped)
    {
        public ReadOnlySpan<byte> Span(ReadOnlySpan<byte> line) => line.Slice(Start, Length);

        /// <summary>The string as JsonElement.GetString gives it, with the same exception for an escaped lone surrogate.</summary>
        public string GetString(ReadOnlySpan<byte> line)
        {
            if (!Escaped)
            {
                return Encoding.UTF8.GetString(line.Slice(Start, Length));
            }

            var reader = new Utf8JsonReader(line.Slice(Start - 1, Length + 2));
            reader.Read();
            return reader.GetString()!;
        }
    }

    /// <summary>
    /// Per-thread state of one parse: the recorded fields and the property names of each open object, checked when
    /// the object ends as JsonDocument checks them (an escaped name unescaped first, the first repeated name reported).
    /// </summary>
    private sealed class Scratch
    {
        private const int FieldCount = (int)Field.Artifact + 1;
        private readonly Value[] _values = new Value[FieldCount];
        private readonly NameList[] _names = new NameList[MaxDepth + 2];
        private byte[] _unescaped = new byte[256];
        private int _unescapedLength;

        public bool RootIsObject { get; set; }

        public int AttributesEnd { get; set; }

        /// <summary>The first duplicate or unreadable property name, in the order JsonDocument would report it.</summary>
        public string? NameError { get; private set; }

        public void Reset()
        {
            Array.Clear(_values);
            RootIsObject = false;
            AttributesEnd = 0;
            NameError = null;
            _unescapedLength = 0;
        }

        public Value Get(Field field) => _values[(int)field];

        public void Record(Field field, ref Utf8JsonReader reader)
        {
            var start = (int)reader.TokenStartIndex;
            _values[(int)field] = reader.TokenType == JsonTokenType.String
                ? new Value(JsonTokenType.String, start + 1, reader.ValueSpan.Length, reader.ValueIsEscaped)
                : new Value(reader.TokenType, start, 0, false);
        }

        public void StartObject(int depth)
        {
            var list = _names[depth + 1] ??= new NameList();
            list.Count = 0;
            list.UnescapedMark = _unescapedLength;
        }

        /// <summary>Adds a property name to its object and returns it unescaped (empty if it cannot be unescaped).</summary>
        public ReadOnlySpan<byte> AddName(ref Utf8JsonReader reader, int depth)
        {
            var list = _names[depth];
            if (!reader.ValueIsEscaped)
            {
                list.Add(new Name((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, false, null));
                return reader.ValueSpan;
            }

            var needed = _unescapedLength + reader.ValueSpan.Length;
            if (needed > _unescaped.Length)
            {
                Array.Resize(ref _unescaped, Math.Max(needed, _unescaped.Length * 2));
            }

            try
            {
                var written = reader.CopyString(_unescaped.AsSpan(_unescapedLength));
                list.Add(new Name(_unescapedLength, written, true, null));
                _unescapedLength += written;
                return _unescaped.AsSpan(_unescapedLength - written, written);
            }
            catch (InvalidOperationException ex)
            {
                list.Add(new Name(0, 0, true, ex.Message));
                return [];
            }
        }

        public void EndObject(int depth, ReadOnlySpan<byte> line)
        {
            var list = _names[depth + 1];
            NameError ??= Check(list, line);
            _unescapedLength = list.UnescapedMark;
            list.Count = 0;
        }

        private string? Check(NameList list, ReadOnlySpan<byte> line)
        {
            // Past a few names a set keeps a hostile object of thousands of names linear, as JsonDocument's does.
            var seen = list.Count > 16 ? new HashSet<string>(list.Count, StringComparer.Ordinal) : null;
            for (var i = 0; i < list.Count; i++)
            {
                var name = list.Items[i];
                if (name.Failure is not null)
                {
                    // JsonDocument.Parse threw InvalidOperationException here, out of the old parser; now the line is
                    // rejected like a value with an escaped lone surrogate.
                    return $"not valid text: {name.Failure}";
                }

                var bytes = Bytes(name, line);
                var repeated = seen is not null ? !seen.Add(Encoding.UTF8.GetString(bytes)) : Repeats(list, i, bytes, line);
                if (repeated)
                {
                    return $"not valid JSON: Duplicate property '{Encoding.UTF8.GetString(bytes)}' encountered during deserialization.";
                }
            }

            return null;
        }

        private bool Repeats(NameList list, int index, ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> line)
        {
            for (var j = 0; j < index; j++)
            {
                if (Bytes(list.Items[j], line).SequenceEqual(bytes))
                {
                    return true;
                }
            }

            return false;
        }

        private ReadOnlySpan<byte> Bytes(Name name, ReadOnlySpan<byte> line) =>
            name.Unescaped ? _unescaped.AsSpan(name.Start, name.Length) : line.Slice(name.Start, name.Length);
    }

    private readonly record struct Name(int Start, int Length, bool Unescaped, string? Failure);

    private sealed class NameList
    {
        public Name[] Items { get; private set; } = new Name[16];

        public int Count { get; set; }

        public int UnescapedMark { get; set; }

        public void Add(Name name)
        {
            if (Count == Items.Length)
            {
                var items = Items;
                Array.Resize(ref items, Count * 2);
                Items = items;
            }

            Items[Count++] = name;
        }
    }
}
