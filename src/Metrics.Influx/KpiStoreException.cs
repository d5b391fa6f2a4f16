using System.Net;

namespace Metrics.Influx;

/// <summary>
/// The KPI store could not do what was asked (server unreachable, timed out, rejected the request, or a point cannot be
/// represented). The caller keeps the affected days dirty and tries again in a later cycle. Messages name the server URL
/// and the server's own error text, never a credential.
/// </summary>
public sealed class KpiStoreException : Exception
{
    public KpiStoreException(string message, HttpStatusCode? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
    }

    public KpiStoreException()
    {
    }

    public KpiStoreException(string message)
        : base(message)
    {
    }

    public KpiStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The HTTP status the server answered with, or null when no answer came (connection refused, timeout).</summary>
    public HttpStatusCode? StatusCode { get; }
}
