using System.Net;
using System.Net.Http.Headers;
using Metrics.Sources.Common;
using Polly;

namespace Metrics.Sources.Tests.Common;

public sealed class SourceHttpTests
{
    [Theory]
    [InlineData(429, null, false)]
    [InlineData(429, 30, false)]
    [InlineData(503, 5, false)]
    [InlineData(503, null, true)]
    [InlineData(500, null, true)]
    [InlineData(502, 10, true)]
    [InlineData(200, null, false)]
    public void CountsAgainstCircuit_StatusAndRetryAfter_OnlyBrokenVendorsCount(int status, int? retryAfterSeconds, bool expected)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }

        Assert.Equal(expected, SourceHttp.CountsAgainstCircuit(Outcome.FromResult(response)));
    }

    [Fact]
    public void CountsAgainstCircuit_TransportError_Counts() =>
        Assert.True(SourceHttp.CountsAgainstCircuit(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("connection refused"))));
}
