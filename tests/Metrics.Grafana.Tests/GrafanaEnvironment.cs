using System.Text.RegularExpressions;

namespace Metrics.Grafana.Tests;

/// <summary>
/// Grafana's interpolation of provisioning values: the text is split at <c>$$</c> (a literal <c>$</c>), and in each
/// part <c>${VAR}</c> and <c>$VAR</c> become the environment value, or nothing when unset (Go's os.ExpandEnv).
/// </summary>
public static partial class GrafanaEnvironment
{
    public static string Interpolate(string value, IReadOnlyDictionary<string, string> environment) =>
        string.Join("$", value.Split("$$").Select(part => Reference().Replace(part, m =>
            environment.TryGetValue(m.Groups["b"].Success ? m.Groups["b"].Value : m.Groups["p"].Value, out var v) ? v : "")));

    /// <summary>The variable names a provisioning value refers to.</summary>
    public static IEnumerable<string> Variables(string value) =>
        value.Split("$$").SelectMany(part => Reference().Matches(part).Select(m => m.Groups["b"].Success ? m.Groups["b"].Value : m.Groups["p"].Value));

    [GeneratedRegex(@"\$\{(?<b>[^}]*)\}|\$(?<p>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Reference();
}
