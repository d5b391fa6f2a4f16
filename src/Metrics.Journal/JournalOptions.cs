namespace Metrics.Journal;

/// <summary>Settings of the SQLite event journal (configuration section <c>Journal</c>).</summary>
public sealed class JournalOptions
{
    public const string SectionName = "Journal";

    public const string DefaultPath = "data/metrics-journal.db";

    /// <summary>
    /// The journal's database file. A relative path is resolved against the current directory; the directory is
    /// created when missing. The <c>-wal</c> and <c>-shm</c> files SQLite keeps beside it belong to it.
    /// </summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>
    /// A cap on the database file in MiB (0: none, the default). Reaching it behaves exactly like a full disk: writes
    /// fail as "disk full", the service stops pulling and reports it on <c>/health/ready</c>, and resumes once there is
    /// room (a higher cap, or space freed), without losing what the sources still hold past their checkpoints.
    /// </summary>
    public int MaxSizeMiB { get; set; }

    /// <summary>
    /// Optional secret (at least 32 characters) that turns on keyed pseudonyms of person keys: events, directory records
    /// and identity links are stored with HMAC-SHA256 pseudonyms instead of e-mail addresses or employee ids (see
    /// docs/operations.md, "Pseudonymised journal"). A journal keeps the key it was started with; changing or removing it
    /// needs a new journal. Never logged.
    /// </summary>
    public string? PseudonymKey { get; set; }

    /// <summary><c>Journal:PseudonymKey_FILE</c>: a file holding <see cref="PseudonymKey"/> (container secrets).</summary>
    [Microsoft.Extensions.Configuration.ConfigurationKeyName("PseudonymKey_FILE")]
    public string? PseudonymKeyFile { get; set; }

    private string? _secretFileError;

    /// <summary>Reads <see cref="PseudonymKeyFile"/> into <see cref="PseudonymKey"/>; a problem is reported by <see cref="Validate"/>, naming the setting only.</summary>
    public void ReadSecretFile()
    {
        _secretFileError = null;
        if (string.IsNullOrWhiteSpace(PseudonymKeyFile))
        {
            return;
        }

        if (!string.IsNullOrEmpty(PseudonymKey))
        {
            _secretFileError = "Journal:PseudonymKey and Journal:PseudonymKey_FILE are alternatives; set only one of them";
            return;
        }

        try
        {
            var secret = File.ReadAllText(PseudonymKeyFile).TrimEnd('\r', '\n');
            if (secret.Length == 0)
            {
                _secretFileError = $"Journal:PseudonymKey_FILE '{PseudonymKeyFile}' is empty";
            }
            else
            {
                PseudonymKey = secret;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            _secretFileError = $"Journal:PseudonymKey_FILE '{PseudonymKeyFile}' cannot be read: {ex.GetType().Name}";
        }
    }

    /// <summary>The absolute file path the journal opens.</summary>
    public string FullPath() => System.IO.Path.GetFullPath(Path);

    /// <summary>Returns why the settings cannot work, or null when they can.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Path))
        {
            return $"Journal:Path must name the journal's database file (default {DefaultPath})";
        }

        // Every operation opens its own pooled connection, and each in-memory connection would see its own database.
        if (Path.Trim().Equals(":memory:", StringComparison.OrdinalIgnoreCase) || Path.Contains("mode=memory", StringComparison.OrdinalIgnoreCase))
        {
            return "Journal:Path must be a file: an in-memory database would not be durable nor shared between operations";
        }

        if (_secretFileError is not null)
        {
            return _secretFileError;
        }

        if (Metrics.Core.Events.PersonPseudonyms.Validate(PseudonymKey) is { } keyError)
        {
            return keyError;
        }

        if (MaxSizeMiB < 0)
        {
            return $"Journal:MaxSizeMiB must be 0 (no cap) or a size in MiB (was {MaxSizeMiB})";
        }

        if (Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            return $"Journal:Path '{Path}' contains characters that are not valid in a path";
        }

        try
        {
            var full = FullPath();
            if (string.IsNullOrEmpty(System.IO.Path.GetFileName(full)))
            {
                return $"Journal:Path '{Path}' names a directory, not a database file";
            }
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return $"Journal:Path '{Path}' is not a valid path: {ex.Message}";
        }

        return null;
    }
}
