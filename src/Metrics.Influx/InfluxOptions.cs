namespace Metrics.Influx;

/// <summary>Where and how KPI points are stored in InfluxDB. Bound from the <c>Influx</c> configuration section.</summary>
/// <remarks>
/// Secrets (<see cref="Token"/>, <see cref="Password"/>) are never part of a message or a log line;
/// <see cref="ToString"/> leaves them out so an accidental log of the options cannot leak them.
/// </remarks>
public sealed class InfluxOptions
{
    public const string SectionName = "Influx";

    public const string ApiAuto = "auto";
    public const string ApiV2 = "v2";
    public const string ApiV1 = "v1";

    /// <summary>Base URL of the server, e.g. <c>http://influxdb:8086</c>. Required; absolute http or https, no credentials in it.</summary>
    public string Url { get; set; } = "";

    /// <summary>
    /// Write API: <c>v1</c> (<c>/write</c>, InfluxDB before 1.8), <c>v2</c> (<c>/api/v2/write</c>: InfluxDB 1.8+, 2.x, 3.x,
    /// VictoriaMetrics) or <c>auto</c> (decided once from the <c>X-Influxdb-Version</c> header of <c>/ping</c>).
    /// </summary>
    /// <value>Default <c>auto</c>.</value>
    public string Api { get; set; } = ApiAuto;

    /// <summary>API token, sent as <c>Authorization: Token …</c>. Exclusive with <see cref="Username"/>/<see cref="Password"/>.</summary>
    public string? Token { get; set; }

    /// <summary>Organization for the v2 API. Needed to create a missing bucket on InfluxDB 2.x; may stay empty for InfluxDB 1.8 and VictoriaMetrics.</summary>
    public string? Org { get; set; }

    /// <summary>Bucket for the v2 API. Required when <see cref="Api"/> is <c>v2</c>; under <c>auto</c> it defaults to <c>Database</c> (or <c>Database/RetentionPolicy</c>).</summary>
    public string? Bucket { get; set; }

    /// <summary>Database for the v1 API, and the InfluxQL database that KPIs are read from (on 2.x the bucket's DBRP mapping).</summary>
    /// <value>Default <c>metrics</c>.</value>
    public string Database { get; set; } = "metrics";

    /// <summary>Retention policy to write to and read from; empty means the database's default policy.</summary>
    public string? RetentionPolicy { get; set; }

    /// <summary>User for InfluxDB 1.x authentication (Basic auth; on 1.8's v2 API the <c>user:password</c> token).</summary>
    public string? Username { get; set; }

    /// <summary>Password of <see cref="Username"/>.</summary>
    public string? Password { get; set; }

    /// <summary><c>Influx:Token_FILE</c>: a file holding <see cref="Token"/> (a container secret such as <c>/run/secrets/influx_token</c>); read once at start, trailing line break removed.</summary>
    [Microsoft.Extensions.Configuration.ConfigurationKeyName("Token_FILE")]
    public string? TokenFile { get; set; }

    /// <summary><c>Influx:Password_FILE</c>: a file holding <see cref="Password"/>, as <see cref="TokenFile"/>.</summary>
    [Microsoft.Extensions.Configuration.ConfigurationKeyName("Password_FILE")]
    public string? PasswordFile { get; set; }

    /// <summary>Why a secret file could not be used; reported by the validator, which names the setting.</summary>
    internal List<string> SecretFileErrors { get; } = [];

    /// <summary>Fills <see cref="Token"/> and <see cref="Password"/> from their files. The secret itself never enters a message.</summary>
    internal void ReadSecretFiles()
    {
        SecretFileErrors.Clear();
        Token = ReadSecret(nameof(Token), Token, "Token_FILE", TokenFile);
        Password = ReadSecret(nameof(Password), Password, "Password_FILE", PasswordFile);
    }

    private string? ReadSecret(string name, string? value, string fileName, string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return value;
        }

        if (!string.IsNullOrEmpty(value))
        {
            SecretFileErrors.Add($"{SectionName}:{name} and {SectionName}:{fileName} are alternatives; set only one of them.");
            return value;
        }

        try
        {
            var secret = File.ReadAllText(path).TrimEnd('\r', '\n');
            if (secret.Length == 0)
            {
                SecretFileErrors.Add($"{SectionName}:{fileName} '{path}' is empty.");
            }

            return secret;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            SecretFileErrors.Add($"{SectionName}:{fileName} '{path}' cannot be read: {ex.GetType().Name}.");
            return null;
        }
    }

    /// <summary>Create the database (v1, 1.8) or the bucket (2.x) at start-up when it does not exist.</summary>
    /// <value>Default <see langword="true"/>.</value>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>Points per write request.</summary>
    /// <value>
    /// Default 20000 (about 2.3 MB of line protocol): against 5000, influxd 1.6 spends 5-10 % less CPU on a recompute's
    /// points and the recompute reached 88-109 % instead of 74-88 % of a raw POST (docs/performance.md). Between 1 and
    /// 100000.
    /// </value>
    public int BatchSize { get; set; } = 20_000;

    /// <summary>Time limit of one HTTP request to the server.</summary>
    /// <value>Default 30 seconds; between 1 second and 10 minutes.</value>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The settings without their secrets, for diagnostics.</summary>
    public override string ToString() =>
        $"Url={Url}, Api={Api}, Org={Org}, Bucket={Bucket}, Database={Database}, RetentionPolicy={RetentionPolicy}, " +
        $"Token={(string.IsNullOrEmpty(Token) ? "(none)" : "(set)")}, Username={Username}, " +
        $"Password={(string.IsNullOrEmpty(Password) ? "(none)" : "(set)")}, CreateIfMissing={CreateIfMissing}, " +
        $"BatchSize={BatchSize}, Timeout={Timeout}";
}
