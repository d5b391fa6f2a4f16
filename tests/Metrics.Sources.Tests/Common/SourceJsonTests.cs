using System.Text.Json;
using Metrics.Sources.Common;

namespace Metrics.Sources.Tests.Common;

public sealed class SourceJsonTests
{
    [Theory]
    [InlineData("2024-03-04T09:00:00.000+0000", "2024-03-04T09:00:00+00:00")]
    [InlineData("2024-03-04T09:00:00.000-0530", "2024-03-04T14:30:00+00:00")]
    [InlineData("2024-03-04T09:00:00.123Z", "2024-03-04T09:00:00.123+00:00")]
    [InlineData("2024-03-04T10:00:00+01:00", "2024-03-04T09:00:00+00:00")]
    public void TryParseTime_OffsetsWithAndWithoutColon_Parse(string text, string utc)
    {
        Assert.True(SourceJson.TryParseTime(text, out var value));
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), value);
    }

    [Theory]
    [InlineData("2024-03-04T09:00:00")]
    [InlineData("2024-03-04")]
    [InlineData("yesterday")]
    [InlineData("")]
    public void TryParseTime_NoOffsetOrGarbage_Rejected(string text) => Assert.False(SourceJson.TryParseTime(text, out _));

    private sealed record Stamp(DateTimeOffset At, DateTimeOffset? Maybe);

    [Fact]
    public void Item_JiraOffsetInDto_Deserialises()
    {
        var stamp = SourceJson.Item<Stamp>(JsonDocument.Parse("{\"at\":\"2024-03-04T09:00:00.000+0000\",\"maybe\":null}").RootElement);

        Assert.Equal(new DateTimeOffset(2024, 3, 4, 9, 0, 0, TimeSpan.Zero), stamp.At);
        Assert.Null(stamp.Maybe);
    }

    [Fact]
    public void Item_BadTime_ThrowsJsonExceptionForThatItem() =>
        Assert.Throws<JsonException>(() => SourceJson.Item<Stamp>(JsonDocument.Parse("{\"at\":\"2024-03-04 09:00\"}").RootElement));
}
