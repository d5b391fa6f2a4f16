using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using Metrics.Core.Events;
using Metrics.Core.Kpis;
using Metrics.Core.Ports;
using Metrics.Worker.Application;
using Metrics.Worker.Telemetry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Api;

/// <summary>One rejected line (or array element, 1-based) and why.</summary>
public sealed record PushRejection(long Line, string Reason);

/// <summary>The 202 answer: what was accepted, what was rejected and why, and what the journal did with the accepted.</summary>
public sealed record PushResult(
    long Accepted,
    long Rejected,
    long Inserted,
    long Replaced,
    long Unchanged,
    IReadOnlyList<PushRejection> Errors,
    bool ErrorsTruncated);

/// <summary>
/// <c>POST /api/events</c> on the <c>run</c> host: sources without a connector push canonical events (JSON Lines as in
/// <c>import --events</c>, or a JSON array of the same objects). Lines are validated by the importer's own parser; the
/// accepted ones are appended to the journal, which deduplicates on (source, id) and marks their days dirty, so the
/// next service cycle recomputes them and a retried request counts nothing twice. See docs/push-api.md.
/// </summary>
public static class PushApiEndpoints
{
    public const string Path = "/api/events";
    public const string RateLimitPolicy = "push-api";
    public const string LogCategory = "Metrics.Worker.Api.PushApi";

    /// <summary>Rejections listed in one answer; the counts stay exact beyond it.</summary>
    public const int MaxListedErrors = 1000;

    public static IServiceCollection AddPushApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PushApiOptions>().Bind(configuration.GetSection(PushApiOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PushApiOptions>, PushApiOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PushApiKeys>();
        services.AddSingleton<PushApiTelemetry>();
        services.AddProblemDetails();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = OnRejectedAsync;
            o.AddPolicy(RateLimitPolicy, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<PushApiOptions>>().Value;
                var key = context.RequestServices.GetRequiredService<PushApiKeys>().Authenticate(context);
                // Requests without a valid key share one budget, so guessing keys is throttled too.
                return RateLimitPartition.GetFixedWindowLimiter(key?.Name ?? "", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = settings.PermitLimit,
                    Window = settings.Window,
                    QueueLimit = 0,
                });
            });
        });
        return services;
    }

    public static WebApplication MapPushApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRateLimiter();
        app.MapPost(Path, PostEventsAsync).RequireRateLimiting(RateLimitPolicy);
        return app;
    }

    private static async Task<IResult> PostEventsAsync(
        HttpContext context,
        PushApiKeys keys,
        IEventJournal journal,
        IOptions<PushApiOptions> options,
        PushApiTelemetry telemetry,
        IOptions<KpiOptions> kpi,
        TimeProvider clock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(LogCategory);
        if (!keys.Enabled)
        {
            return Problem(StatusCodes.Status404NotFound, "Push API off", "No key is configured under PushApi:Keys, so the push API is off.");
        }

        var key = keys.Authenticate(context);
        if (key is null)
        {
            telemetry.Refused("401");
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Problem(StatusCodes.Status401Unauthorized, "API key missing or unknown", "Send a configured key as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'.");
        }

        var max = options.Value.MaxBodyBytes;
        var body = await ReadBodyAsync(context, max, cancellationToken);
        if (body is null)
        {
            telemetry.Refused("413");
            PushApiLog.BodyTooLarge(logger, key.Name, max);
            return Problem(StatusCodes.Status413PayloadTooLarge, "Body too large", string.Create(CultureInfo.InvariantCulture, $"The body is larger than PushApi:MaxBodyBytes ({max} bytes); send the events in smaller requests."));
        }

        var parsed = Parse(body, kpi.Value.TimeRange, clock);
        if (parsed.Error is { } bodyError)
        {
            telemetry.Refused("400");
            return Problem(StatusCodes.Status400BadRequest, "Body unreadable", bodyError);
        }

        var forbidden = parsed.Events.Where(e => !key.Sources.Contains(e.Event.Source)).ToList();
        if (forbidden.Count > 0)
        {
            // Nothing is stored: a key writing a source it was not given is a misconfigured client, and half a batch
            // stored would be harder to repair than a clear refusal.
            telemetry.Refused("403");
            PushApiLog.SourceForbidden(logger, key.Name, forbidden.Count);
            var sources = string.Join(", ", forbidden.Select(e => $"'{e.Event.Source}'").Distinct(StringComparer.Ordinal).Take(10));
            var lines = string.Join(", ", forbidden.Take(20).Select(e => e.Line.ToString(CultureInfo.InvariantCulture)));
            return Problem(StatusCodes.Status403Forbidden, "Source not allowed for this key",
                $"The key '{key.Name}' may write {string.Join(", ", key.Sources.Order(StringComparer.Ordinal).Select(s => $"'{s}'"))} only; the body also has {sources} (lines {lines}{(forbidden.Count > 20 ? ", ..." : "")}). Nothing was stored.");
        }

        long inserted = 0, replaced = 0, unchanged = 0;
        foreach (var chunk in parsed.Events.Select(e => e.Event).Chunk(CanonicalImporter.BatchSize))
        {
            var appended = await journal.AppendAsync(chunk, cancellationToken);
            inserted += appended.Inserted;
            replaced += appended.Replaced;
            unchanged += appended.Unchanged;
        }

        telemetry.Received(parsed.Events.Count, parsed.Rejected.Count);
        PushApiLog.Received(logger, key.Name, parsed.Events.Count, parsed.Rejected.Count, inserted, replaced, unchanged);
        var listed = parsed.Rejected.Take(MaxListedErrors).ToList();
        return TypedResults.Json(
            new PushResult(parsed.Events.Count, parsed.Rejected.Count, inserted, replaced, unchanged, listed, listed.Count < parsed.Rejected.Count),
            PushApiJson.Options,
            statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The body, or null when it is larger than <paramref name="max"/> bytes (read no further than one byte past it).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context, long max, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength > max)
        {
            return null;
        }

        // The server's own limit (Kestrel: 30 MB) would answer without a problem body; ours decides instead.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max + 1;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    internal sealed record Parsed(List<(long Line, CanonicalEvent Event)> Events, List<PushRejection> Rejected, string? Error);

    /// <summary>JSON Lines, or a JSON array when the first character is <c>[</c>; every record goes through the importer's parser.</summary>
    internal static Parsed Parse(byte[] body, PlausibleTimeRange timeRange, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var events = new List<(long, CanonicalEvent)>();
        var rejected = new List<PushRejection>();
        void Add(long line, ParseResult<CanonicalEvent> result)
        {
            if (result.Value is { } e)
            {
                events.Add((line, e));
            }
            else
            {
                rejected.Add(new PushRejection(line, result.Error!));
            }
        }

        var text = body.AsSpan();
        if (text.StartsWith("\uFEFF"u8))
        {
            text = text[3..];
        }

        var first = text.TrimStart(" \t\r\n"u8);
        if (first.IsEmpty)
        {
            return new Parsed(events, rejected, "The body is empty: send canonical events as JSON Lines or a JSON array.");
        }

        if (first[0] == (byte)'[')
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body.AsMemory(body.Length - first.Length), new JsonDocumentOptions { MaxDepth = 17 });
            }
            catch (JsonException ex)
            {
                return new Parsed(events, rejected, $"The body starts with '[' but is not a JSON array: {ex.Message}");
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Array)
                {
                    return new Parsed(events, rejected, "The body starts with '[' but is not a JSON array.");
                }

                long index = 0;
                foreach (var element in document.RootElement.EnumerateArray())
                {
                    Add(++index, CanonicalImporter.ParseEvent(element.GetRawText(), timeRange, now));
                }
            }
        }
        else
        {
            using var reader = new StreamReader(new MemoryStream(body), CanonicalImporter.StrictUtf8, detectEncodingFromByteOrderMarks: true);
            foreach (var (line, result) in CanonicalImporter.ParseEventLines(reader, timeRange, clock))
            {
                Add(line, result);
            }
        }

        return new Parsed(events, rejected, null);
    }

    private static async ValueTask OnRejectedAsync(Microsoft.AspNetCore.RateLimiting.OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        context.RequestServices.GetRequiredService<PushApiTelemetry>().Refused("429");
        var detail = "Too many requests for this key; retry later.";
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            detail = string.Create(CultureInfo.InvariantCulture, $"Too many requests for this key (PushApi:PermitLimit per PushApi:Window); retry after {seconds} s.");
        }

        await Problem(StatusCodes.Status429TooManyRequests, "Rate limit exceeded", detail).ExecuteAsync(context);
    }

    private static IResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(new ProblemDetails { Status = status, Title = title, Detail = detail });
}

/// <summary>Counts pushed events and rejected lines, and refused requests by HTTP status (a fixed set: 400, 401, 403, 413, 429).</summary>
public sealed class PushApiTelemetry(IMeterFactory meterFactory)
{
    private readonly Counter<long> _events = meterFactory.Create(WorkerTelemetry.Name)
        .CreateCounter<long>("metrics.push.events", "{event}", "Events accepted by POST /api/events and stored in the journal (new, replaced or unchanged re-deliveries).");

    private readonly Counter<long> _rejected = meterFactory.Create(WorkerTelemetry.Name)
        .CreateCounter<long>("metrics.push.rejected_items", "{item}", "Lines or array elements of POST /api/events rejected as invalid.");

    private readonly Counter<long> _refused = meterFactory.Create(WorkerTelemetry.Name)
        .CreateCounter<long>("metrics.push.refused", "{request}", "Requests to POST /api/events refused as a whole, by HTTP status.");

    public void Received(long accepted, long rejected)
    {
        _events.Add(accepted);
        _rejected.Add(rejected);
    }

    public void Refused(string status) => _refused.Add(1, new KeyValuePair<string, object?>("status", status));
}

internal static class PushApiJson
{
    // The answer is read by people and scripts, never embedded in HTML: quotes in reasons stay readable.
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

internal static partial class PushApiLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Push API key {Key}: {Accepted} events accepted ({Inserted} new, {Replaced} replaced, {Unchanged} unchanged), {Rejected} rejected")]
    public static partial void Received(ILogger logger, string key, long accepted, long rejected, long inserted, long replaced, long unchanged);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Push API key {Key}: {Count} events name a source the key may not write; request refused (403)")]
    public static partial void SourceForbidden(ILogger logger, string key, int count);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Push API key {Key}: body larger than {MaxBytes} bytes; request refused (413)")]
    public static partial void BodyTooLarge(ILogger logger, string key, long maxBytes);
}
