using Metrics.Core.Events;

namespace Metrics.Core.Tests.Events;

public sealed class PersonPseudonymsTests
{
    private const string Key = "a-random-secret-of-at-least-32-chars";

    [Fact]
    public void Protect_SameKeySamePerson_SamePseudonymWithoutTheKeyOrPersonInIt()
    {
        var a = new PersonPseudonyms(Key).Protect("ana@example.com");

        Assert.Equal(a, new PersonPseudonyms(Key).Protect("ana@example.com"));
        Assert.True(PersonPseudonyms.IsPseudonym(a));
        Assert.DoesNotContain("ana", a, StringComparison.Ordinal);
        Assert.NotEqual(a, new PersonPseudonyms(Key).Protect("bo@example.com"));
        Assert.NotEqual(a, new PersonPseudonyms(Key + "!").Protect("ana@example.com"));
    }

    [Fact]
    public void Protect_Pseudonym_ReturnsItUnchanged()
    {
        var pseudonyms = new PersonPseudonyms(Key);
        var a = pseudonyms.Protect("ana@example.com");

        Assert.Equal(a, pseudonyms.Protect(a));
    }

    [Fact]
    public void Protect_NoKey_KeepsThePerson() => Assert.Equal("ana@example.com", PersonPseudonyms.None.Protect("ana@example.com"));

    [Fact]
    public void Validate_ShortKey_NamesTheSettingNotTheKey()
    {
        var error = PersonPseudonyms.Validate("short-secret");

        Assert.NotNull(error);
        Assert.Contains("Journal:PseudonymKey", error, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", error, StringComparison.Ordinal);
        Assert.Null(PersonPseudonyms.Validate(Key));
        Assert.Null(PersonPseudonyms.Validate(null));
    }
}
