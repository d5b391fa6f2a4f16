using System.Globalization;

namespace Metrics.Simulator.Generation;

/// <summary>
/// Seeded randomness. Each part of the story draws from its own stream (seed and a stable name hash), so adding draws to
/// one part does not shift every other part, and the same options always give the same company.
/// </summary>
public sealed class Rng
{
    private readonly Random _random;

    public Rng(int seed, string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        // string.GetHashCode is randomised per process; FNV-1a is stable.
        var hash = 2166136261u;
        foreach (var c in stream)
        {
            hash = (hash ^ c) * 16777619u;
        }

        _random = new Random(unchecked(seed * 486187739 + (int)hash));
    }

    public double Next() => _random.NextDouble();

    public bool Chance(double p) => _random.NextDouble() < p;

    /// <summary>An integer in [min, max] inclusive.</summary>
    public int Between(int min, int max) => _random.Next(min, max + 1);

    public T Pick<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items[_random.Next(items.Count)];
    }

    /// <summary>A version-4 shaped UUID from the stream.</summary>
    public string Uuid()
    {
        Span<byte> b = stackalloc byte[16];
        _random.NextBytes(b);
        b[6] = (byte)((b[6] & 0x0F) | 0x40);
        b[8] = (byte)((b[8] & 0x3F) | 0x80);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Hex(b[..4])}-{Hex(b[4..6])}-{Hex(b[6..8])}-{Hex(b[8..10])}-{Hex(b[10..])}");
    }

    /// <summary>Lowercase alphanumerics, like n8n's workflow and project ids.</summary>
    public string Token(int length)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return string.Create(length, _random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[r.Next(Alphabet.Length)];
            }
        });
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
