using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using InfluxDB.Client;
using InfluxDB.Client.Core.Exceptions;
using Metrics.Core.Kpis;
using Metrics.Core.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Metrics.Influx;

/// <summary>
/// <see cref="IKpiStore"/> over InfluxDB (schema in docs/schema.md). Writes go through <c>/write</c> on InfluxDB before
/// 1.8 and through <c>/api/v2/write</c> everywhere else, both with the line protocol of <see cref="KpiLineBatch"/>;
/// reads are InfluxQL over <c>/query</c>, which InfluxDB 1.x, 2.x (v1 compatibility API) and 3.x all answer.
/// </summary>
/// <remarks>Thread-safe; meant to live as a singleton. Failures surface as <see cref="KpiStoreException"/>.</remarks>
public sealed partial class InfluxKpiStore : IKpiStore, IDisposable
{
    /// <summary>Name of the <see cref="HttpClient"/> registered by <c>AddInfluxKpiStore</c>.</summary>
    public const string HttpClientName = "Metrics.Influx";

    /// <summary>
    /// Shard group duration of a database this store creates on InfluxDB 1.x. The default for an infinite retention is
    /// 7 days, so a board's year-long query opened 53 shards for every series: 50 department series over a year then
    /// cost 44-58 ms to merely count, against 10 ms with year-long shards (docs/performance.md). KPIs are about a
    /// million points a year, so one shard a year stays small.
    /// </summary>
    public const string ShardDuration = "52w";

    private readonly InfluxOptions _options;
    private readonly TimeZoneInfo _zone;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly InfluxTelemetry? _telemetry;
    private readonly Uri _base;
    private readonly string _url;
    private readonly SemaphoreSlim _detectLock = new(1, 1);
    private readonly Lock _clientLock = new();
    private InfluxServer? _server;
    private InfluxDBClient? _client;
    private int _deleteUnsupportedLogged;
    private bool _disposed;

    /// <param name="options">Validated Influx settings.</param>
    /// <param name="kpiOptions">Gives the org time zone that dates are mapped through.</param>
    /// <param name="httpClient">Used for <c>/ping</c>, <c>/write</c> and <c>/query</c>; not disposed by the store.</param>
    /// <param name="logger">Never receives a secret.</param>
    /// <param name="telemetry">Write metrics; tools and tests may leave it out.</param>
    public InfluxKpiStore(IOptions<InfluxOptions> options, IOptions<KpiOptions> kpiOptions, HttpClient httpClient, ILogger<InfluxKpiStore> logger, InfluxTelemetry? telemetry = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kpiOptions);
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(logger);

        _options = options.Value;
        var invalid = new InfluxOptionsValidator().Validate(Options.DefaultName, _options);
        if (invalid.Failed)
        {
            // Tests and tools construct the store without the options pipeline; they get the same checks.
            throw new OptionsValidationException(Options.DefaultName, typeof(InfluxOptions), invalid.Failures);
        }

        _zone = kpiOptions.Value.ResolveTimeZone();
        _http = httpClient;
        _logger = logger;
        _telemetry = telemetry;
        _url = _options.Url.TrimEnd('/');
        // A trailing slash keeps a path prefix (a reverse proxy's /influx/) when relative paths are resolved against it.
        _base = new Uri(_url + "/", UriKind.Absolute);
    }

    /// <summary>
    /// Pings the server once and decides the write API (see <see cref="InfluxOptions.Api"/>). The answer is cached; a
    /// failed ping is not, so the next call tries again.
    /// </summary>
    public async Task<InfluxServer> DetectServerAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _server) is { } known)
        {
            return known;
        }

        await _detectLock.WaitAsync(cancellationToken);
        try
        {
            if (_server is { } raced)
            {
                return raced;
            }

            var version = await WithTimeoutAsync("Ping", async ct =>
            {
                using var request = NewRequest(HttpMethod.Get, "ping", []);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
                await EnsureSuccessAsync(response, "Ping", ct);
                return response.Headers.TryGetValues("X-Influxdb-Version", out var values) ? values.FirstOrDefault() : null;
            }, cancellationToken);

            var configured = _options.Api.Trim().ToLowerInvariant();
            var api = configured switch
            {
                InfluxOptions.ApiV1 => InfluxApi.V1,
                InfluxOptions.ApiV2 => InfluxApi.V2,
                _ => InfluxServer.ApiFor(version),
            };
            var server = new InfluxServer(version, api);
            if (api == InfluxApi.V2 && server.IsInfluxDb2 && string.IsNullOrWhiteSpace(_options.Org))
            {
                throw new KpiStoreException($"InfluxDB at {_url} is version {version}, whose v2 API needs an organization: set Influx:Org.");
            }

            Log.ServerDetected(_logger, _url, version ?? "(none reported)", api, configured);
            Volatile.Write(ref _server, server);
            return server;
        }
        finally
        {
            _detectLock.Release();
        }
    }

    /// <inheritdoc />
    public async Task EnsureReadyAsync(CancellationToken cancellationToken = default)
    {
        var server = await DetectServerAsync(cancellationToken);
        if (!_options.CreateIfMissing)
        {
            return;
        }

        if (server.Api == InfluxApi.V1 || server.IsInfluxDb1)
        {
            var database = WriteDatabase(server);

            // Only a missing database is created: one that exists keeps the policies its operator gave it (CREATE with
            // a shard duration would fail on a database whose default policy differs).
            if (!await DatabaseExistsAsync(database, cancellationToken))
            {
                await ExecuteAsync(
                    "Create database",
                    $"CREATE DATABASE {InfluxQl.Identifier(database)} WITH SHARD DURATION {ShardDuration}",
                    database: null,
                    cancellationToken);
            }

            Log.DatabaseEnsured(_logger, database, _url);
        }
        else if (server.IsInfluxDb2)
        {
            await EnsureBucketAsync(cancellationToken);
        }
        else
        {
            Log.BucketCreationSkipped(_logger, WriteBucket, _url, server.Version);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _client?.Dispose();
        _detectLock.Dispose();
    }

    /// <summary>The v2 bucket: the configured one, else the database (with its retention policy, as InfluxDB 1.8 expects).</summary>
    private string WriteBucket =>
        !string.IsNullOrWhiteSpace(_options.Bucket) ? _options.Bucket
        : string.IsNullOrWhiteSpace(_options.RetentionPolicy) ? _options.Database
        : $"{_options.Database}/{_options.RetentionPolicy}";

    /// <summary>InfluxDB.Client insists on an org; <c>-</c> is what InfluxDB 1.8 documents for "none", and VictoriaMetrics ignores it.</summary>
    private string WriteOrg => string.IsNullOrWhiteSpace(_options.Org) ? "-" : _options.Org;

    /// <summary>The 1.x database that writes land in: on 1.8's v2 API the database part of the <c>db/rp</c> bucket.</summary>
    private string WriteDatabase(InfluxServer server) =>
        server.Api == InfluxApi.V1 ? _options.Database : WriteBucket.Split('/')[0];

    private async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        var bucket = WriteBucket;
        var client = Client();
        try
        {
            await WithTimeoutAsync("Create bucket", async ct =>
            {
                var buckets = client.GetBucketsApi();
                if (await buckets.FindBucketByNameAsync(bucket, ct) is not null)
                {
                    return 0;
                }

                var orgs = await client.GetOrganizationsApi().FindOrganizationsAsync(org: _options.Org, cancellationToken: ct);
                var org = orgs?.FirstOrDefault(o => o.Name == _options.Org)
                    ?? throw new KpiStoreException($"Create bucket: organization '{_options.Org}' (Influx:Org) does not exist on InfluxDB at {_url}.");
                await buckets.CreateBucketAsync(bucket, org, ct);
                Log.BucketCreated(_logger, bucket, org.Name, _url);
                return 0;
            }, cancellationToken);
        }
        catch (KpiStoreException ex) when (IsMissingEndpoint(ex))
        {
            Log.BucketsApiMissing(_logger, bucket, _url, (int?)ex.StatusCode ?? 0);
        }
    }

    private InfluxDBClient Client()
    {
        lock (_clientLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_client is null)
            {
                var builder = new InfluxDBClientOptions.Builder()
                    .Url(_url)
                    .TimeOut(_options.Timeout)
                    .Org(WriteOrg)
                    .Bucket(WriteBucket);
                if (!string.IsNullOrEmpty(_options.Token))
                {
                    builder.AuthenticateToken(_options.Token);
                }
                else if (!string.IsNullOrEmpty(_options.Username))
                {
                    // InfluxDB 1.8's v2 API takes "user:password" as the token.
                    builder.AuthenticateToken($"{_options.Username}:{_options.Password}");
                }

                _client = new InfluxDBClient(builder.Build());
            }

            return _client;
        }
    }

    /// <summary>
    /// A request with the configured credentials. <paramref name="tokenAuth"/> sends user and password as
    /// <c>Authorization: Token user:password</c>, the form InfluxDB 1.8's v2 API documents (and InfluxDB.Client sent),
    /// instead of Basic auth.
    /// </summary>
    private HttpRequestMessage NewRequest(HttpMethod method, string path, IEnumerable<(string Key, string? Value)> query, HttpContent? content = null, bool tokenAuth = false)
    {
        var queryString = string.Join('&', query
            .Where(p => !string.IsNullOrEmpty(p.Value))
            .Select(p => p.Key + "=" + Uri.EscapeDataString(p.Value!)));
        var request = new HttpRequestMessage(method, new Uri(_base, queryString.Length == 0 ? path : path + "?" + queryString)) { Content = content };
        if (!string.IsNullOrEmpty(_options.Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", _options.Token);
        }
        else if (!string.IsNullOrEmpty(_options.Username) && tokenAuth)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Token", $"{_options.Username}:{_options.Password}");
        }
        else if (!string.IsNullOrEmpty(_options.Username))
        {
            // Basic auth rather than u/p query parameters keeps the password out of URLs, which end up in exception messages.
            var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_options.Username}:{_options.Password}"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        return request;
    }

    /// <summary>
    /// Runs one server call under <see cref="InfluxOptions.Timeout"/> and turns transport and client failures into
    /// <see cref="KpiStoreException"/>; the caller's own cancellation passes through unchanged.
    /// </summary>
    private async Task<T> WithTimeoutAsync<T>(string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            return await call(timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KpiStoreException($"{what}: InfluxDB at {_url} did not answer within {_options.Timeout}.", null, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new KpiStoreException($"{what}: InfluxDB at {_url} is unreachable: {ex.Message}", ex.StatusCode, ex);
        }
        catch (HttpException ex) when (cancellationToken.IsCancellationRequested)
        {
            // InfluxDB.Client may wrap a cancelled request; the caller asked to stop, so report it as that.
            throw new OperationCanceledException($"{what} was cancelled.", ex, cancellationToken);
        }
        catch (HttpException ex)
        {
            var status = ex.Status > 0 ? (HttpStatusCode?)ex.Status : null;
            var detail = status is null ? $"is unreachable: {ex.Message}" : $"answered {ex.Status}: {ex.Message}";
            throw new KpiStoreException($"{what}: InfluxDB at {_url} {detail}", status, ex);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new KpiStoreException(
            $"{what}: InfluxDB at {_url} answered {(int)response.StatusCode} {response.ReasonPhrase}: {ServerMessage(body)}",
            response.StatusCode);
    }

    /// <summary>The error text of an InfluxDB answer: <c>error</c> (1.x) or <c>message</c> (2.x) of a JSON body, else the trimmed body.</summary>
    private static string ServerMessage(string body)
    {
        var text = body.Trim();
        if (text.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                foreach (var name in (ReadOnlySpan<string>)["error", "message"])
                {
                    if (doc.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    {
                        return value.GetString() ?? "";
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: fall back to the raw text.
            }
        }

        const int max = 500;
        return text.Length == 0 ? "(no message)" : text.Length <= max ? text : text[..max] + "…";
    }

    /// <summary>
    /// The endpoint does not exist on this server: 404/405, or VictoriaMetrics' 400 "unsupported path requested".
    /// </summary>
    private static bool IsMissingEndpoint(KpiStoreException ex) =>
        ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed
        || (ex.StatusCode == HttpStatusCode.BadRequest && ex.Message.Contains("unsupported path", StringComparison.OrdinalIgnoreCase));
}
