using Metrics.Influx;

namespace Metrics.Influx.Tests;

public sealed class InfluxServerTests
{
    [Theory]
    [InlineData("1.6.7~rc0", InfluxApi.V1)]
    [InlineData("1.7.11", InfluxApi.V1)]
    [InlineData("1.8.0", InfluxApi.V2)]
    [InlineData("1.8.10", InfluxApi.V2)]
    [InlineData("1.11.8", InfluxApi.V2)]
    [InlineData("v2.7.4", InfluxApi.V2)]
    [InlineData("2.7.4", InfluxApi.V2)]
    [InlineData("3.0.1", InfluxApi.V2)]
    [InlineData(null, InfluxApi.V2)]
    [InlineData("", InfluxApi.V2)]
    [InlineData("unknown", InfluxApi.V2)]
    public void ApiFor_ReportedVersion_ChoosesV1OnlyBefore18(string? version, InfluxApi expected)
    {
        Assert.Equal(expected, InfluxServer.ApiFor(version));
    }

    [Fact]
    public void ParseVersion_ReleaseCandidateSuffix_IsIgnored()
    {
        Assert.Equal((1, 6), InfluxServer.ParseVersion("1.6.7~rc0"));
        Assert.Equal((2, 7), InfluxServer.ParseVersion("v2.7.4"));
        Assert.Equal((1, 8), InfluxServer.ParseVersion("1.8-rc1"));
        Assert.Null(InfluxServer.ParseVersion("OSS"));
    }

    [Fact]
    public void IsInfluxDb1And2_FollowTheMajorVersion()
    {
        Assert.True(new InfluxServer("1.8.10", InfluxApi.V2).IsInfluxDb1);
        Assert.False(new InfluxServer("1.8.10", InfluxApi.V2).IsInfluxDb2);
        Assert.True(new InfluxServer("v2.7.4", InfluxApi.V2).IsInfluxDb2);
        Assert.False(new InfluxServer(null, InfluxApi.V2).IsInfluxDb1);
        Assert.False(new InfluxServer(null, InfluxApi.V2).IsInfluxDb2);
    }
}
