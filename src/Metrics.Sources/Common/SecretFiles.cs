using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Metrics.Sources.Common;

/// <summary>Marks a credential setting that may instead be read from a file named by <c>&lt;Name&gt;_FILE</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SecretAttribute : Attribute;

/// <summary>
/// Container secrets: a credential such as <c>Sources:Ticketing:ApiToken</c> can be given as the path of a file holding
/// it, <c>Sources:Ticketing:ApiToken_FILE</c> (environment <c>Sources__Ticketing__ApiToken_FILE=/run/secrets/jira</c>).
/// The file's content, without its trailing line break, becomes the setting. Problems are reported by the options
/// validator under the <c>_FILE</c> key; the secret itself is never part of a message.
/// </summary>
public static class SecretFiles
{
    public const string Suffix = "_FILE";

    /// <summary>Fills every <see cref="SecretAttribute"/> property of <paramref name="options"/> whose <c>_FILE</c> key is set.</summary>
    public static void Load(SourceOptions options, IConfiguration section, string sectionPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(section);
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType == typeof(string) && p.GetCustomAttribute<SecretAttribute>() is not null))
        {
            var key = property.Name + Suffix;
            if (section[key] is not { Length: > 0 } path)
            {
                continue;
            }

            if (property.GetValue(options) is string { Length: > 0 })
            {
                options.ConfigurationErrors.Add($"{sectionPath}:{property.Name} and {sectionPath}:{key} are both set; set only one.");
                continue;
            }

            try
            {
                var secret = File.ReadAllText(path).TrimEnd('\r', '\n');
                if (secret.Length == 0)
                {
                    options.ConfigurationErrors.Add($"{sectionPath}:{key} names an empty file ({path}).");
                }
                else
                {
                    property.SetValue(options, secret);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                options.ConfigurationErrors.Add($"{sectionPath}:{key} names a file that cannot be read ({path}: {ex.GetType().Name}).");
            }
        }
    }
}
