using Metrics.Core.Directory;

namespace Metrics.Core.Tests.Directory;

public class DirectoryCsvParserTests
{
    [Fact]
    public void ParseDirectoryLine_QuotedDepartmentAndOpenEnd_Parses()
    {
        var r = DirectoryCsvParser.ParseDirectoryLine("Ana@Example.com,\"R&D, Berlin\",Specialist,2026-01-01,").Value!;

        Assert.Equal(new DirectoryRecord("ana@example.com", "R&D, Berlin", Level.Specialist, new DateOnly(2026, 1, 1), null), r);
    }

    [Theory]
    [InlineData("a,D,boss,2026-01-01,", "level")]
    [InlineData("a,D,frontline,01/01/2026,", "from")]
    [InlineData("a,D,frontline,2026-01-01,2026-01-01", "not after")]
    [InlineData("a,D,frontline,2026-01-01", "expected 5 fields")]
    [InlineData(",D,frontline,2026-01-01,", "empty person")]
    [InlineData("a,\"R&D\\Lab\",frontline,2026-01-01,", "backslash")]
    [InlineData("a,(small groups),frontline,2026-01-01,", "reserved")]
    [InlineData("a,,frontline,2026-01-01,", "empty department")]
    [InlineData("a,\"D,frontline,2026-01-01,", "unterminated")]
    public void ParseDirectoryLine_BadRow_RejectsWithReason(string line, string reasonPart)
    {
        var result = DirectoryCsvParser.ParseDirectoryLine(line);

        Assert.False(result.IsValid);
        Assert.Contains(reasonPart, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseIdentityLine_MixedCase_NormalisesBothKeys()
    {
        var link = DirectoryCsvParser.ParseIdentityLine(" GitHub:Ana-L , Ana@Example.com").Value!;

        Assert.Equal(new IdentityLink("github:ana-l", "ana@example.com"), link);
    }

    [Theory]
    [InlineData("github:ana", "expected 2 fields")]
    [InlineData("github:ana,ana@example.com,x", "expected 2 fields")]
    [InlineData(" ,ana@example.com", "empty identity or person")]
    [InlineData("\"github:ana,ana@example.com", "unterminated")]
    public void ParseIdentityLine_BadRow_RejectsWithReason(string line, string reasonPart)
    {
        var result = DirectoryCsvParser.ParseIdentityLine(line);

        Assert.False(result.IsValid);
        Assert.Contains(reasonPart, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseCourseLine_SemicolonLevels_Parses()
    {
        var c = DirectoryCsvParser.ParseCourseLine("ai-basics, executive; frontline ").Value!;

        Assert.Equal("ai-basics", c.Id);
        Assert.Equal([Level.Executive, Level.Frontline], c.Levels);
    }

    [Fact]
    public void CheckHeader_WrongHeader_NamesTheExpectedOne()
    {
        Assert.Null(DirectoryCsvParser.CheckHeader("\uFEFFperson,department,level,from,to", DirectoryCsvParser.DirectoryHeader));
        Assert.Contains("person,department,level,from,to", DirectoryCsvParser.CheckHeader("name,dept", DirectoryCsvParser.DirectoryHeader), StringComparison.Ordinal);
    }
}
