using System.Globalization;

namespace Metrics.Influx;

/// <summary>Which write API the store uses.</summary>
public enum InfluxApi
{
    /// <summary><c>POST /write</c> (InfluxDB 1.x before 1.8).</summary>
    V1,

    /// <summary><c>POST /api/v2/write</c> (InfluxDB 1.8+, 2.x, 3.x, VictoriaMetrics), the request InfluxDB.Client sends.</summary>
    V2,
}

/// <summary>What the store learnt from the server's <c>/ping</c>: its reported version (null when it reports none) and the API chosen.</summary>
public sealed record InfluxServer(string? Version, InfluxApi Api)
{
    /// <summary>Major and minor version from an <c>X-Influxdb-Version</c> value such as <c>1.6.7~rc0</c> or <c>v2.7.4</c>; null when absent or unreadable.</summary>
    public static (int Major, int Minor)? ParseVersion(string? version)
    {
        if (string.IsNullOrWhiteSpace(version))
        {
            return null;
        }

        var text = version.Trim().TrimStart('v', 'V');
        var parts = text.Split('.');
        if (parts.Length < 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
            || !int.TryParse(LeadingDigits(parts[1]), NumberStyles.None, CultureInfo.InvariantCulture, out var minor))
        {
            return null;
        }

        return (major, minor);
    }

    /// <summary>
    /// The API for a reported version: InfluxDB 1.x before 1.8 has no <c>/api/v2/write</c>, so v1; everything else
    /// (1.8+, 2.x, 3.x, or no version header as with VictoriaMetrics) speaks v2.
    /// </summary>
    public static InfluxApi ApiFor(string? version) =>
        ParseVersion(version) is var (major, minor) && major == 1 && minor < 8 ? InfluxApi.V1 : InfluxApi.V2;

    /// <summary>The server is InfluxDB 1.x (it then answers InfluxQL <c>CREATE DATABASE</c> and <c>DELETE</c>).</summary>
    public bool IsInfluxDb1 => ParseVersion(Version)?.Major == 1;

    /// <summary>The server is InfluxDB 2.x (it then has the buckets and delete APIs and needs an org).</summary>
    public bool IsInfluxDb2 => ParseVersion(Version)?.Major == 2;

    private static string LeadingDigits(string text)
    {
        var n = 0;
        while (n < text.Length && char.IsAsciiDigit(text[n]))
        {
            n++;
        }

        return text[..n];
    }
}
