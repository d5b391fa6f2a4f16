using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Metrics.Simulator.Vendors;

/// <summary>
/// Injects the configured faults into vendor requests, or the one a request asks for with <c>X-Simulator-Fault</c> (or
/// the <c>simulator-fault</c> query parameter): <c>429</c>, <c>500</c>, <c>503</c>, <c>slow</c>, <c>malformed</c>.
/// Counters are per vendor (the first path segment), so a sequential client meets the same faults on every run.
/// </summary>
public sealed class FaultMiddleware(RequestDelegate next, IOptions<SimulatorOptions> options, TimeProvider clock)
{
    public const string Header = "X-Simulator-Fault";
    public const string Query = "simulator-fault";

    private static readonly string[] Vendors = ["lrs", "n8n", "jira", "graph", "login", "github"];

    private readonly long[] _counters = new long[Vendors.Length];

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path.Value ?? string.Empty;
        var vendor = Array.FindIndex(Vendors, v => path.StartsWith("/" + v + "/", StringComparison.Ordinal));
        if (vendor < 0)
        {
            await next(context);
            return;
        }

        var f = options.Value.Faults;
        var asked = context.Request.Headers[Header].ToString();
        if (asked.Length == 0)
        {
            asked = context.Request.Query[Query].ToString();
        }

        var n = Interlocked.Increment(ref _counters[vendor]);
        var fault = asked.Length > 0 ? asked.Trim().ToLowerInvariant()
            : f.RateLimitEvery > 0 && n >= f.RateLimitEvery && n % f.RateLimitEvery < f.RateLimitBurst ? "429"
            : f.ServerErrorEvery > 0 && n % f.ServerErrorEvery == 0 ? "503"
            : f.MalformedEvery > 0 && n % f.MalformedEvery == 0 ? "malformed"
            : f.SlowEvery > 0 && n % f.SlowEvery == 0 ? "slow"
            : null;
        switch (fault)
        {
            case null:
                break;
            case "429":
            case "503":
                context.Response.StatusCode = fault == "429" ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = f.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                if (fault == "429" && Vendors[vendor] == "jira")
                {
                    context.Response.Headers["RateLimit-Reason"] = "jira-burst-based";
                }

                await context.Response.WriteAsync(fault == "429" ? "Too Many Requests" : "Service Unavailable", context.RequestAborted);
                return;
            case "500":
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await context.Response.WriteAsync("Internal Server Error", context.RequestAborted);
                return;
            case "slow":
                await Task.Delay(f.SlowDelay, clock, context.RequestAborted);
                break;
            case "malformed":
                context.Items[VendorHttp.MalformedItem] = true;
                break;
            default:
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("unknown simulator fault; use 429, 500, 503, slow or malformed", context.RequestAborted);
                return;
        }

        await next(context);
    }
}
