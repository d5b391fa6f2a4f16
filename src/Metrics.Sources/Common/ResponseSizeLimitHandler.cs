namespace Metrics.Sources.Common;

/// <summary>A response body that exceeds the source's <see cref="SourceOptions.MaxResponseBytes"/>.</summary>
public sealed class ResponseTooLargeException : Exception
{
    public ResponseTooLargeException()
    {
    }

    public ResponseTooLargeException(string message)
        : base(message)
    {
    }

    public ResponseTooLargeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Buffers each response up to a byte limit and refuses a larger one, so a runaway page cannot exhaust memory. It sits
/// inside the resilience handler and throws an exception the handler does not retry: a page that is too large stays so.
/// </summary>
public sealed class ResponseSizeLimitHandler(Func<int> maxBytes) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var limit = maxBytes();
        if (response.Content.Headers.ContentLength is long declared && declared > limit)
        {
            response.Dispose();
            throw new ResponseTooLargeException($"response of {declared} bytes exceeds the limit of {limit}");
        }

        var buffer = new MemoryStream();
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    response.Dispose();
                    throw new ResponseTooLargeException($"response exceeds the limit of {limit} bytes");
                }

                buffer.Write(chunk, 0, read);
            }
        }

        buffer.Position = 0;
        var content = new StreamContent(buffer);
        foreach (var header in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = content;
        return response;
    }
}
