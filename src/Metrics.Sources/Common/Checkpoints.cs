using System.Globalization;

namespace Metrics.Sources.Common;

/// <summary>Checkpoints that are a server clock value, stored as round-trip ISO 8601 text.</summary>
public static class Checkpoints
{
    public static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value) ? value : null;

    /// <summary>Where an incremental pull starts: the checkpoint minus the overlap, or the initial lookback from now.</summary>
    public static DateTimeOffset Start(string? checkpoint, SourceOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Parse(checkpoint) is { } at ? at - options.Overlap : now - options.InitialLookback;
    }
}
