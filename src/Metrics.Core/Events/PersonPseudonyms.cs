using System.Security.Cryptography;
using System.Text;
using Metrics.Core.Directory;

namespace Metrics.Core.Events;

/// <summary>
/// Keyed pseudonyms of person keys (<c>Journal:PseudonymKey</c>): HMAC-SHA256 of the normalised key, so the same person
/// gets the same pseudonym in events, directory records and identity links, and every join still holds, while the
/// journal file alone reveals no e-mail address or employee id. Without the key a pseudonym cannot be reversed nor
/// recomputed from a guessed address. <see cref="Protect(string)"/> is idempotent (a pseudonym maps to itself), so a caller may
/// protect a key before comparing it with stored ones and the journal's boundary protecting it again changes nothing.
/// </summary>
public sealed class PersonPseudonyms
{
    /// <summary>Marks a stored pseudonym.</summary>
    public const string Prefix = "psn:";

    /// <summary>The shortest key accepted: 32 characters, as many bytes as the hash.</summary>
    public const int MinimumKeyLength = 32;

    private const int Length = 43; // 32 bytes of HMAC-SHA256 in unpadded base64url

    private readonly byte[]? _key;

    public PersonPseudonyms(string? key)
    {
        _key = string.IsNullOrEmpty(key) ? null : Encoding.UTF8.GetBytes(key);
    }

    /// <summary>No key: person keys are stored as they are.</summary>
    public static PersonPseudonyms None { get; } = new(null);

    public bool Enabled => _key is not null;

    /// <summary>A value that identifies the key without revealing it, kept in the journal so another key is refused.</summary>
    public string? Fingerprint => _key is null ? null : Protect("metrics:journal-pseudonym-key-check");

    /// <summary>The pseudonym of <paramref name="person"/>, itself when no key is set or it already is one.</summary>
    public string Protect(string person)
    {
        ArgumentNullException.ThrowIfNull(person);
        if (_key is null || IsPseudonym(person))
        {
            return person;
        }

        var hash = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(person));
        return Prefix + Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The link with both its identity and its person protected; the link itself when no key is set.</summary>
    public IdentityLink Protect(IdentityLink link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return _key is null ? link : new IdentityLink(Protect(link.Identity), Protect(link.Person));
    }

    public static bool IsPseudonym(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == Prefix.Length + Length && value.StartsWith(Prefix, StringComparison.Ordinal);
    }

    /// <summary>Why <paramref name="key"/> cannot be a pseudonym key, or null when it can (an empty key means none).</summary>
    public static string? Validate(string? key) =>
        string.IsNullOrEmpty(key) || key.Length >= MinimumKeyLength
            ? null
            : $"Journal:PseudonymKey must be at least {MinimumKeyLength} characters (a random secret; it was {key.Length})";
}
