using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Api;

/// <summary>A configured key that a request presented: its name and the sources it may write.</summary>
public sealed record PushApiKey(string Name, IReadOnlySet<string> Sources);

/// <summary>
/// Resolves the key a request presents (<c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>) against the
/// configured hashes. Only hashes are held, so a leaked configuration does not leak the keys; every configured hash is
/// compared in constant time, with no early exit, so timing tells nothing about how close a guess came.
/// </summary>
public sealed class PushApiKeys
{
    private static readonly object ItemKey = new();
    private static readonly object Unauthenticated = new();
    private readonly (byte[] Hash, PushApiKey Key)[] _keys;

    public PushApiKeys(IOptions<PushApiOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var keys = new List<(byte[], PushApiKey)>();
        foreach (var (name, key) in options.Value.Keys)
        {
            // Invalid entries are reported by the options validator on start; they never authenticate anything.
            if (key.Hash is not null && TryParseHash(key.Hash, out var hash))
            {
                keys.Add((hash, new PushApiKey(name, key.SourceList().ToHashSet(StringComparer.Ordinal))));
            }
        }

        _keys = [.. keys];
    }

    /// <summary>False when no key is configured: the endpoint is off.</summary>
    public bool Enabled => _keys.Length > 0;

    /// <summary>The key of this request, or null; resolved once per request (the rate limiter and the endpoint both ask).</summary>
    public PushApiKey? Authenticate(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(ItemKey, out var cached))
        {
            return cached as PushApiKey;
        }

        var key = Resolve(PresentedKey(context.Request));
        context.Items[ItemKey] = key ?? Unauthenticated;
        return key;
    }

    public PushApiKey? Resolve(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 1024)
        {
            return null;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        PushApiKey? match = null;
        foreach (var (expected, key) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                match = key;
            }
        }

        return match;
    }

    internal static bool TryParseHash(string text, out byte[] hash)
    {
        hash = [];
        var trimmed = text.Trim();
        if (trimmed.Length != SHA256.HashSizeInBytes * 2)
        {
            return false;
        }

        try
        {
            hash = Convert.FromHexString(trimmed);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        if (authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return authorization[Bearer.Length..].Trim();
        }

        var header = request.Headers["X-Api-Key"].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }
}
