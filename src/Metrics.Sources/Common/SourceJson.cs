using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace Metrics.Sources.Common;

/// <summary>The JSON settings shared by every source client and by per-item deserialisation.</summary>
public static class SourceJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Refit settings of every source client: the shared JSON options, and query values as the vendors' OpenAPI
    /// documents type them (booleans as <c>true</c>/<c>false</c>, not .NET's <c>True</c>).</summary>
    public static RefitSettings CreateRefitSettings() => new(new SystemTextJsonContentSerializer(Options))
    {
        UrlParameterFormatter = new WireUrlParameterFormatter(),
    };

    /// <summary>Deserialises one item of a page; a malformed item throws <see cref="JsonException"/> for that item only.</summary>
    public static T Item<T>(JsonElement element) =>
        element.Deserialize<T>(Options) ?? throw new JsonException("item is null");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(SystemTextJsonContentSerializer.GetDefaultJsonSerializerOptions())
        {
            MaxDepth = 64,
        };
        options.Converters.Add(new LenientOffsetConverter());
        options.Converters.Add(new NullableLenientOffsetConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>
    /// Parses ISO 8601 times that carry an offset, including Jira's colon-less <c>+0000</c>, which System.Text.Json
    /// rejects by design. A time without an offset is refused: it cannot be placed on a day.
    /// </summary>
    public static bool TryParseTime(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim();
        if (t.Length > 5 && (t[^5] == '+' || t[^5] == '-') && char.IsAsciiDigit(t[^4]) && char.IsAsciiDigit(t[^1]) && t[^3] != ':')
        {
            t = string.Concat(t.AsSpan(0, t.Length - 2), ":", t.AsSpan(t.Length - 2));
        }

        var hasOffset = t.EndsWith('Z') || t.EndsWith('z') || (t.Length > 6 && (t[^6] == '+' || t[^6] == '-') && t[^3] == ':');
        return hasOffset && t.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    private sealed class LenientOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return TryParseTime(text, out var value) ? value : throw new JsonException("not an ISO 8601 time with an offset");
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString("O", CultureInfo.InvariantCulture));
    }

    private sealed class NullableLenientOffsetConverter : JsonConverter<DateTimeOffset?>
    {
        public override bool HandleNull => true;

        public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            return TryParseTime(text, out var value) ? value : throw new JsonException("not an ISO 8601 time with an offset");
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
        {
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(value.Value.ToString("O", CultureInfo.InvariantCulture));
            }
        }
    }
}

/// <summary>Reads an id that a vendor sends as a string in one version and a number in another.</summary>
public sealed class StringOrNumberConverter : System.Text.Json.Serialization.JsonConverter<string>
{
    public override string? Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            System.Text.Json.JsonTokenType.String => reader.GetString(),
            System.Text.Json.JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
            System.Text.Json.JsonTokenType.Null => null,
            _ => throw new System.Text.Json.JsonException("expected a string or number id"),
        };

    public override void Write(System.Text.Json.Utf8JsonWriter writer, string value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}

/// <summary>Formats query and path values the way JSON and OpenAPI spell them; everything else as Refit does.</summary>
public sealed class WireUrlParameterFormatter : IUrlParameterFormatter
{
    private readonly DefaultUrlParameterFormatter _default = new();

    public string? Format(object? value, System.Reflection.ICustomAttributeProvider attributeProvider, Type type) => value switch
    {
        bool b => b ? "true" : "false",
        _ => _default.Format(value, attributeProvider, type),
    };
}
