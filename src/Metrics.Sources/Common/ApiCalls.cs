using System.Net;
using System.Text.Json;
using Metrics.Core.Ports;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace Metrics.Sources.Common;

/// <summary>
/// Turns a Refit call into a page body or a <see cref="SourcePageException"/> whose message says what failed without
/// quoting the response body (bodies can hold person data) or any header (they can hold credentials).
/// </summary>
public static class ApiCalls
{
    public static async Task<IApiResponse<T>> SendAsync<T>(Func<Task<IApiResponse<T>>> call, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        IApiResponse<T> response;
        try
        {
            response = await call();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is ApiExceptionBase or HttpRequestException or TimeoutRejectedException
            or BrokenCircuitException or OperationCanceledException or JsonException or ResponseTooLargeException)
        {
            throw new SourcePageException($"{what} failed: {Describe(ex)}", ex);
        }

        if (response.Error is { } error)
        {
            cancellationToken.ThrowIfCancellationRequested();
            response.Dispose();
            throw new SourcePageException($"{what} failed: {Describe(error)}", error);
        }

        if (response.Content is null)
        {
            response.Dispose();
            throw new SourcePageException($"{what} failed: empty body (HTTP {(int?)response.StatusCode})");
        }

        return response;
    }

    /// <summary>The HTTP status a page failed with, when it failed with one.</summary>
    public static HttpStatusCode? StatusOf(SourcePageException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is ApiException { StatusCode: var code } api && code != default && !IsDeserialisation(api))
            {
                return code;
            }
        }

        return null;
    }

    /// <summary>A short, identifier-free description of a failure, for logs and reports.</summary>
    public static string Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ResponseTooLargeException tooLarge:
                    return tooLarge.Message;
                case JsonException:
                    return "malformed JSON";
                case TimeoutRejectedException:
                    return "timed out";
                case BrokenCircuitException:
                    return "circuit open after repeated failures";
                case ApiException api when api.StatusCode != default && !IsDeserialisation(api):
                    return $"HTTP {(int)api.StatusCode} {api.StatusCode}";
                default:
                    break;
            }
        }

        return exception switch
        {
            HttpRequestException { StatusCode: HttpStatusCode code } => $"HTTP {(int)code}",
            HttpRequestException or ApiRequestException => "transport error",
            OperationCanceledException => "timed out",
            _ => exception.GetType().Name,
        };
    }

    private static bool IsDeserialisation(ApiException api) => api.InnerException is JsonException || (int)api.StatusCode is >= 200 and < 300;
}
