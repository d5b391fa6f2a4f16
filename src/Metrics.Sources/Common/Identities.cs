using Metrics.Core.Events;

namespace Metrics.Sources.Common;

/// <summary>
/// The normalised source identities events carry as their person. The directory sync and the mapping CSV link them to
/// person keys; the KPI engine resolves through those links, so an identity linked later still counts.
/// </summary>
public static class Identities
{
    /// <summary>An e-mail address, trimmed and lowercased; a <c>mailto:</c> prefix is dropped. Null when it is not one.</summary>
    public static string? Email(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var text = raw.Trim();
        if (text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["mailto:".Length..];
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < text.Length - 1 && !text.Any(char.IsWhiteSpace) ? PersonKey.Normalize(text) : null;
    }

    /// <summary>A Jira user: the visible e-mail when there is one, else <c>jira:&lt;accountId&gt;</c>.</summary>
    public static string? Jira(string? accountId, string? email) =>
        Email(email) ?? JiraAccount(accountId);

    /// <summary>The account-id identity of a Jira user, <c>jira:&lt;accountId&gt;</c>, or null without an id.</summary>
    public static string? JiraAccount(string? accountId) =>
        string.IsNullOrWhiteSpace(accountId) ? null : PersonKey.Normalize("jira:" + accountId.Trim());

    /// <summary>A GitHub user, <c>github:&lt;login&gt;</c> (logins are case-insensitive), or null without a login.</summary>
    public static string? GitHub(string? login) =>
        string.IsNullOrWhiteSpace(login) ? null : PersonKey.Normalize("github:" + login.Trim());

    /// <summary>An xAPI account agent: <c>account:&lt;homePage&gt;|&lt;name&gt;</c>.</summary>
    public static string? XapiAccount(string? homePage, string? name) =>
        string.IsNullOrWhiteSpace(homePage) || string.IsNullOrWhiteSpace(name)
            ? null
            : PersonKey.Normalize("account:" + homePage.Trim() + "|" + name.Trim());
}
