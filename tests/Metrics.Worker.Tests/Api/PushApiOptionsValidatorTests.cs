using Metrics.Worker.Api;

namespace Metrics.Worker.Tests.Api;

public sealed class PushApiOptionsValidatorTests
{
    private static IReadOnlyList<string> Errors(PushApiOptions options) =>
        new PushApiOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    private static PushApiOptions WithKey(string? hash, string? sources) =>
        new() { Keys = { ["crm"] = new PushApiKeyOptions { Hash = hash, Sources = sources } } };

    [Fact]
    public void Validate_NoKeys_Valid()
    {
        Assert.Empty(Errors(new PushApiOptions()));
    }

    [Fact]
    public void Validate_HashedKeyWithSources_Valid()
    {
        Assert.Empty(Errors(WithKey(PushApiHost.Hash("k"), "crm; erp")));
    }

    [Theory]
    [InlineData("my-plain-secret-key")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("zz3b6e8c0d1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80912a3b")]
    public void Validate_HashNotASha256_NamesTheSetting(string? hash)
    {
        var error = Assert.Single(Errors(WithKey(hash, "crm")));
        Assert.StartsWith("PushApi:Keys:crm:Hash must be the SHA-256", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ; ,")]
    public void Validate_NoSources_NamesTheSetting(string? sources)
    {
        var error = Assert.Single(Errors(WithKey(PushApiHost.Hash("k"), sources)));
        Assert.StartsWith("PushApi:Keys:crm:Sources must name at least one source", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TwoKeysWithOneHash_Rejected()
    {
        var options = WithKey(PushApiHost.Hash("k"), "crm");
        options.Keys["erp"] = new PushApiKeyOptions { Hash = PushApiHost.Hash("k").ToUpperInvariant(), Sources = "erp" };

        Assert.Contains(Errors(options), e => e.Contains(":Hash is the same as another key's", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_LimitsOutOfRange_NameTheirSettings()
    {
        var errors = Errors(new PushApiOptions { MaxBodyBytes = 10, PermitLimit = 0, Window = TimeSpan.Zero });

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("PushApi:MaxBodyBytes", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("PushApi:PermitLimit", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("PushApi:Window", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_ConfiguredKey_NameAndSources()
    {
        var keys = new PushApiKeys(Microsoft.Extensions.Options.Options.Create(WithKey(PushApiHost.Hash("secret"), "crm;erp")));

        var key = keys.Resolve("secret");

        Assert.Equal("crm", key?.Name);
        Assert.Equal(["crm", "erp"], key!.Sources.Order(StringComparer.Ordinal));
        Assert.Null(keys.Resolve("secret "));
        Assert.Null(keys.Resolve(PushApiHost.Hash("secret")));
    }
}
