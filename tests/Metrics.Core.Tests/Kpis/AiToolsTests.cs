using Metrics.Core.Kpis;

namespace Metrics.Core.Tests.Kpis;

public class AiToolsTests
{
    [Theory]
    [InlineData("word", "word")]
    [InlineData(" Excel ", "excel")]
    [InlineData("GitHub-Copilot", "github-copilot")]
    [InlineData("jira", "jira")]
    [InlineData("@n8n/n8n-nodes-langchain.openAi", "n8n")]
    [InlineData("n8n-nodes-base.openAi", "n8n")]
    [InlineData("chatgpt", AiTools.Other)]
    [InlineData("word\u0000", AiTools.Other)]
    [InlineData("", AiTools.Unspecified)]
    [InlineData("   ", AiTools.Unspecified)]
    [InlineData(null, AiTools.Unspecified)]
    public void Classify_ToolValue_IsItsBucket(string? tool, string expected) =>
        Assert.Equal(expected, AiTools.Name(AiTools.Classify(tool)));

    [Theory]
    [InlineData("{\"tool\":\"teams\",\"editor\":\"vscode\"}", "teams")]
    [InlineData("{\"editor\":\"vscode\"}", AiTools.Unspecified)]
    [InlineData("{}", AiTools.Unspecified)]
    [InlineData("", AiTools.Unspecified)]
    [InlineData("{\"tool\":null}", AiTools.Unspecified)]
    [InlineData("{\"tool\":3}", AiTools.Unspecified)]
    [InlineData("{\"nested\":{\"tool\":\"word\"}}", AiTools.Unspecified)]
    [InlineData("{\"tool\":", AiTools.Unspecified)]
    public void FromAttributes_AttributesObject_IsTheBucketOfItsToolString(string attributes, string expected) =>
        Assert.Equal(expected, AiTools.Name(AiTools.FromAttributes(attributes)));

    [Fact]
    public void Names_EveryBucket_IsAUniqueTagValueLineProtocolCarries()
    {
        Assert.Equal(AiTools.Count, AiTools.Names.Count);
        Assert.Equal(AiTools.Count, AiTools.Names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(AiTools.Names, n => Assert.Matches("^[a-z0-9-]+$", n));
        Assert.Equal(AiTools.Other, AiTools.Name(AiTools.OtherIndex));
        Assert.Equal(AiTools.Unspecified, AiTools.Name(AiTools.UnspecifiedIndex));
    }
}
