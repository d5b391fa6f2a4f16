using System.Globalization;
using System.Text.RegularExpressions;

namespace Metrics.Grafana.Tests.Infrastructure;

/// <summary>
/// What Grafana does to an InfluxQL query before sending it: its time macros become the range and interval of the
/// request (<c>${__from}</c> and <c>${__to}</c> its bounds in epoch milliseconds, <c>${__range_s}</c> its length in whole
/// seconds), template variables their current values. Whatever starts with <c>$</c> and is not known here stays, so a
/// test can tell an unknown variable.
/// </summary>
public static partial class GrafanaMacros
{
    /// <param name="maxDataPoints">The panel's <c>maxDataPoints</c> (Grafana's default is about the panel's width in pixels).</param>
    public static string Apply(string query, DateTimeOffset from, DateTimeOffset to, IReadOnlyDictionary<string, string>? variables = null, int maxDataPoints = 1000)
    {
        var fromMs = from.ToUnixTimeMilliseconds();
        var toMs = to.ToUnixTimeMilliseconds();
        // As Grafana's InfluxQL backend: time >= <from>ms and time <= <to>ms.
        var timeFilter = string.Create(CultureInfo.InvariantCulture, $"time >= {fromMs}ms and time <= {toMs}ms");
        var interval = Interval(from, to, maxDataPoints);
        var result = query
            .Replace("${__from}", fromMs.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("${__to}", toMs.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            // Grafana rounds the range to whole seconds.
            .Replace("${__range_s}", Math.Round((toMs - fromMs) / 1000.0).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("$__timeFilter", timeFilter, StringComparison.Ordinal)
            .Replace("$timeFilter", timeFilter, StringComparison.Ordinal)
            .Replace("$__interval_ms", ((long)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("$__interval", Format(interval), StringComparison.Ordinal)
            .Replace("$interval", Format(interval), StringComparison.Ordinal);
        foreach (var (name, value) in variables ?? new Dictionary<string, string>())
        {
            // Single-value variables inside single-quoted InfluxQL strings: escape what would end the string.
            var escaped = value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
            result = result
                .Replace("${" + name + "}", escaped, StringComparison.Ordinal)
                .Replace("[[" + name + "]]", escaped, StringComparison.Ordinal);
            result = Regex.Replace(result, @"\$" + Regex.Escape(name) + @"\b", escaped.Replace("$", "$$", StringComparison.Ordinal));
        }

        return result;
    }

    /// <summary>Every <c>$name</c>, <c>${name}</c> or <c>[[name]]</c> in a query, macros included.</summary>
    public static IReadOnlyList<string> References(string query) =>
        VariablePattern().Matches(query).Select(m => m.Groups["a"].Success ? m.Groups["a"].Value : m.Groups["b"].Success ? m.Groups["b"].Value : m.Groups["c"].Value).ToList();

    public static bool IsMacro(string name) =>
        name is "timeFilter" or "__timeFilter" or "__interval" or "interval" or "__interval_ms" or "__from" or "__to" or "__range" or "__range_s";

    /// <summary>Roughly Grafana's: the range over the panel's data points, at least one second.</summary>
    private static TimeSpan Interval(DateTimeOffset from, DateTimeOffset to, int maxDataPoints) =>
        TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((to - from).TotalSeconds / maxDataPoints)));

    private static string Format(TimeSpan interval) =>
        string.Create(CultureInfo.InvariantCulture, $"{(long)interval.TotalSeconds}s");

    [GeneratedRegex(@"\$\{(?<a>\w+)(?::\w+)?\}|\$(?<b>\w+)|\[\[(?<c>\w+)\]\]")]
    private static partial Regex VariablePattern();
}
