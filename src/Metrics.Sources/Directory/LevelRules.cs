using System.Text.RegularExpressions;
using Metrics.Core.Directory;

namespace Metrics.Sources.Directory;

/// <summary>Maps a job title and reporting line to a level by the configured rules.</summary>
public sealed class LevelRules
{
    private readonly List<(LevelRule Rule, Regex? Pattern)> _rules;
    private readonly DirectoryOptions _options;

    public LevelRules(DirectoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _rules = options.LevelRules
            .Select(r => (r, r.TitlePattern is null ? null : new Regex(r.TitlePattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))))
            .ToList();
    }

    public Level Resolve(string? jobTitle, string? department, bool hasDirectReports)
    {
        var title = jobTitle?.Trim() ?? string.Empty;
        foreach (var (rule, pattern) in _rules)
        {
            if ((pattern is null || pattern.IsMatch(title))
                && (rule.TitleContains is null || title.Contains(rule.TitleContains, StringComparison.OrdinalIgnoreCase))
                && (rule.HasDirectReports is null || rule.HasDirectReports == hasDirectReports)
                && (rule.Department is null || string.Equals(rule.Department, department?.Trim(), StringComparison.OrdinalIgnoreCase)))
            {
                return rule.Level;
            }
        }

        return hasDirectReports && _options.DirectReportsMeansManager ? Level.Manager : _options.DefaultLevel;
    }
}
