using System.Globalization;
using System.Text;

namespace Metrics.Influx;

/// <summary>InfluxQL quoting. Values reach queries only through these, so a department name cannot change a query's meaning.</summary>
internal static class InfluxQl
{
    /// <summary>A double-quoted identifier: backslash and double quote are backslash-escaped.</summary>
    public static string Identifier(string name) => Quote(name, '"');

    /// <summary>A single-quoted string literal: backslash and single quote are backslash-escaped.</summary>
    public static string Literal(string value) => Quote(value, '\'');

    /// <summary>An RFC 3339 UTC time literal, whole seconds.</summary>
    public static string Time(DateTimeOffset instant) =>
        "'" + instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + "'";

    private static string Quote(string text, char quote)
    {
        var sb = new StringBuilder(text.Length + 2);
        sb.Append(quote);
        foreach (var c in text)
        {
            if (c == '\\' || c == quote)
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        sb.Append(quote);
        return sb.ToString();
    }
}
