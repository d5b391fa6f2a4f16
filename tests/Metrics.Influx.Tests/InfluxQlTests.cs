using Metrics.Influx;

namespace Metrics.Influx.Tests;

public sealed class InfluxQlTests
{
    [Theory]
    [InlineData("Sales", "'Sales'")]
    [InlineData("O'Brien's team", @"'O\'Brien\'s team'")]
    [InlineData(@"a\b", @"'a\\b'")]
    [InlineData(@"x\' OR 1=1", @"'x\\\' OR 1=1'")]
    public void Literal_QuotesAndBackslashes_AreEscaped(string value, string expected)
    {
        Assert.Equal(expected, InfluxQl.Literal(value));
    }

    [Theory]
    [InlineData("kpi", "\"kpi\"")]
    [InlineData("my \"db\"", "\"my \\\"db\\\"\"")]
    public void Identifier_DoubleQuotes_AreEscaped(string name, string expected)
    {
        Assert.Equal(expected, InfluxQl.Identifier(name));
    }

    [Fact]
    public void Time_AnyOffset_IsUtcWholeSeconds()
    {
        var instant = new DateTimeOffset(2026, 3, 29, 0, 0, 0, TimeSpan.FromHours(1));

        Assert.Equal("'2026-03-28T23:00:00Z'", InfluxQl.Time(instant));
    }
}
