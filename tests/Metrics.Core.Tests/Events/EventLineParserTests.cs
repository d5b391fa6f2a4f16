using Metrics.Core.Events;

namespace Metrics.Core.Tests.Events;

public class EventLineParserTests
{
    private const string Valid = """{"source":"lms","id":"st-1","type":"training.completed","time":"2026-03-02T09:15:00+01:00","person":" Ana@Example.com ","attributes":{"course":"ai-basics"}}""";

    [Fact]
    public void Parse_SpecExample_ReturnsNormalisedEvent()
    {
        var result = EventLineParser.Parse(Valid);

        Assert.True(result.IsValid, result.Error);
        var e = result.Value!;
        Assert.Equal(("lms", "st-1", EventType.TrainingCompleted), (e.Source, e.Id, e.Type));
        Assert.Equal("ana@example.com", e.Person);
        Assert.Equal("ai-basics", e.Subject);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 15, 0, TimeSpan.FromHours(1)), e.Time);
        Assert.Equal(TimeSpan.FromHours(1), e.Time.Offset);
    }

    [Theory]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("""{"id":"1","type":"ai.used","time":"2026-03-02T09:15:00Z","person":"a"}""", "'source'")]
    [InlineData("""{"source":"s","type":"ai.used","time":"2026-03-02T09:15:00Z","person":"a"}""", "'id'")]
    [InlineData("""{"source":"s","id":"1","type":"ai.used","time":"2026-03-02T09:15:00Z"}""", "'person'")]
    [InlineData("""{"source":"s","id":"1","type":"ai.abused","time":"2026-03-02T09:15:00Z","person":"a"}""", "unknown type")]
    [InlineData("""{"source":"s","id":"1","type":"ai.used","time":"2026-03-02T09:15:00","person":"a"}""", "with an offset")]
    [InlineData("""{"source":"s","id":"1","type":"ai.used","time":"yesterday","person":"a"}""", "with an offset")]
    [InlineData("""{"source":"s","id":"1","type":"ai.used","time":"2026-02-30T09:15:00Z","person":"a"}""", "with an offset")]
    [InlineData("""{"source":"s","id":"1","type":"training.completed","time":"2026-03-02T09:15:00Z","person":"a","attributes":{}}""", "'course'")]
    [InlineData("""{"source":"s","id":"1","type":"training.completed","time":"2026-03-02T09:15:00Z","person":"a","attributes":{"course":7}}""", "'course'")]
    [InlineData("""{"source":"s","id":"1","type":"decision.recorded","time":"2026-03-02T09:15:00Z","person":"a","attributes":{"decision":"d"}}""", "'aiAssisted'")]
    [InlineData("""{"source":"s","id":"1","type":"decision.recorded","time":"2026-03-02T09:15:00Z","person":"a","attributes":{"decision":"d","aiAssisted":"yes"}}""", "'aiAssisted'")]
    [InlineData("""{"source":"s","id":"1","type":"event.retracted","time":"2026-03-02T09:15:00Z","person":"a","attributes":{}}""", "'target'")]
    [InlineData("""{"source":"s","id":1,"type":"ai.used","time":"2026-03-02T09:15:00Z","person":"a"}""", "'id'")]
    [InlineData("""{"source":"s","id":"1","type":"ai.used","time":"2026-03-02T09:15:00Z","person":"\ud800a@x.com"}""", "not valid text")]
    [InlineData("""{"source":"s","id":"1","type":"training.completed","time":"2026-03-02T09:15:00Z","person":"a","attributes":{"course":"\udc00"}}""", "not valid text")]
    [InlineData("""{"source":"s","id":"1","type":"ai.used","time":"2026-03-02T09:15:00Z","person":"a","person":"b"}""", "not valid JSON")]
    [InlineData("""{"source":"s","id":"1","type":"ai.used","time":"2026-03-02T09:15:00Z","person":"a","attributes":null}""", "'attributes' is not an object")]
    public void Parse_BadLine_RejectsWithReason(string line, string reasonPart)
    {
        var result = EventLineParser.Parse(line);

        Assert.False(result.IsValid);
        Assert.Contains(reasonPart, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HostileLength_RejectsWithoutParsing()
    {
        var result = EventLineParser.Parse("{\"source\":\"" + new string('x', EventLineParser.MaxLineLength) + "\"}");

        Assert.Contains("longer than", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-03-02T09:15:00Z")]
    [InlineData("2026-03-02T09:15:00.123+05:30")]
    [InlineData("2026-03-02T09:15:00-0800")]
    [InlineData("2026-03-02T09:15+01:00")]
    public void TryParseTime_IsoWithOffset_Accepted(string text)
    {
        Assert.True(EventLineParser.TryParseTime(text, out _));
    }

    [Fact]
    public void Parse_DecisionWithFlag_KeepsTheFlag()
    {
        var result = EventLineParser.Parse("""{"source":"t","id":"d","type":"decision.recorded","time":"2026-03-02T09:15:00Z","person":"a","attributes":{"decision":"D1","aiAssisted":true}}""");

        Assert.True(result.Value!.AiAssisted);
        Assert.Equal("D1", result.Value.Subject);
    }
}
