using Metrics.Sources.Common;
using Metrics.Sources.Lms;

namespace Metrics.Sources.Tests.Common;

public sealed class IdentitiesTests
{
    [Theory]
    [InlineData("mailto:Ana.Silva@Example.COM", "ana.silva@example.com")]
    [InlineData("  bo@example.com ", "bo@example.com")]
    [InlineData("not-an-email", null)]
    [InlineData(null, null)]
    public void Email_Normalises(string? raw, string? expected) => Assert.Equal(expected, Identities.Email(raw));

    [Fact]
    public void Jira_VisibleEmailWinsElseAccountId()
    {
        Assert.Equal("ana@example.com", Identities.Jira("5b10ac8d", "Ana@Example.com"));
        Assert.Equal("jira:5b10ac8d", Identities.Jira("5b10ac8d", null));
        Assert.Null(Identities.Jira(null, null));
    }

    [Fact]
    public void XapiIdentity_AccountAndHashedForms()
    {
        Assert.Equal("account:https://lms.example.com|ana", XapiMapper.Identity(new XapiAgent { Account = new XapiAccount { HomePage = "https://lms.example.com", Name = "ana" } }));
        Assert.Equal("sha1:ebd31e95", XapiMapper.Identity(new XapiAgent { MboxSha1Sum = "EBD31E95" }));
        Assert.Null(XapiMapper.Identity(new XapiAgent { ObjectType = "Group", Mbox = "mailto:team@example.com" }));
    }
}
