using Metrics.Influx;

namespace Metrics.Influx.Tests;

public sealed class InfluxOptionsValidatorTests
{
    private static InfluxOptions Valid() => new() { Url = "http://localhost:8086" };

    private static IReadOnlyList<string> Failures(InfluxOptions options) =>
        new InfluxOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Validate_Defaults_Succeed()
    {
        var result = new InfluxOptionsValidator().Validate(null, Valid());

        Assert.True(result.Succeeded, string.Join("; ", result.Failures ?? []));
    }

    [Fact]
    public void Validate_MissingUrl_NamesTheSetting()
    {
        var failure = Assert.Single(Failures(new InfluxOptions()));

        Assert.StartsWith("Influx:Url is required", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost:8086")]
    [InlineData("/influx")]
    [InlineData("ftp://influx:21")]
    [InlineData("x")]
    public void Validate_NotAnAbsoluteHttpUrl_NamesTheSettingAndValue(string url)
    {
        var options = Valid();
        options.Url = url;

        var failure = Assert.Single(Failures(options));

        Assert.Equal($"Influx:Url '{url}' is not an absolute http(s) URL.", failure);
    }

    [Fact]
    public void Validate_CredentialsInUrl_FailWithoutQuotingThem()
    {
        var options = Valid();
        options.Url = "http://admin:s3cret@localhost:8086";

        var failure = Assert.Single(Failures(options));

        Assert.Contains("Influx:Url must not contain credentials", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("V2")]
    [InlineData("v1")]
    public void Validate_KnownApi_Succeeds(string api)
    {
        var options = Valid();
        options.Api = api;
        options.Bucket = "kpis";

        Assert.Empty(Failures(options));
    }

    [Fact]
    public void Validate_UnknownApi_NamesTheSetting()
    {
        var options = Valid();
        options.Api = "v3";

        Assert.Equal("Influx:Api 'v3' is not one of auto, v2, v1.", Assert.Single(Failures(options)));
    }

    [Fact]
    public void Validate_V2WithoutBucket_NamesBucket()
    {
        var options = Valid();
        options.Api = "v2";

        Assert.Equal("Influx:Bucket is required when Influx:Api is v2.", Assert.Single(Failures(options)));
    }

    [Fact]
    public void Validate_AutoWithoutBucket_Succeeds()
    {
        Assert.Empty(Failures(Valid()));
    }

    [Fact]
    public void Validate_EmptyDatabase_NamesDatabase()
    {
        var options = Valid();
        options.Database = " ";

        Assert.StartsWith("Influx:Database is required", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TokenAndUsernamePassword_FailWithoutQuotingSecrets()
    {
        var options = Valid();
        options.Token = "token-value-123";
        options.Username = "writer";
        options.Password = "password-value-456";

        var failure = Assert.Single(Failures(options));

        Assert.Contains("Influx:Token and Influx:Username/Influx:Password are alternatives", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("token-value-123", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("password-value-456", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UsernameWithoutPassword_NamesPassword()
    {
        var options = Valid();
        options.Username = "writer";

        Assert.Equal("Influx:Password is required when Influx:Username is set.", Assert.Single(Failures(options)));
    }

    [Fact]
    public void Validate_PasswordWithoutUsername_NamesUsername()
    {
        var options = Valid();
        options.Password = "x";

        Assert.Equal("Influx:Username is required when Influx:Password is set.", Assert.Single(Failures(options)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(100_001)]
    public void Validate_BatchSizeOutOfRange_NamesBatchSize(int batchSize)
    {
        var options = Valid();
        options.BatchSize = batchSize;

        Assert.Equal($"Influx:BatchSize {batchSize} is outside 1..100000.", Assert.Single(Failures(options)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100_000)]
    public void Validate_BatchSizeAtBounds_Succeeds(int batchSize)
    {
        var options = Valid();
        options.BatchSize = batchSize;

        Assert.Empty(Failures(options));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:00.500")]
    [InlineData("00:10:01")]
    public void Validate_TimeoutOutOfRange_NamesTimeout(string timeout)
    {
        var options = Valid();
        options.Timeout = TimeSpan.Parse(timeout, System.Globalization.CultureInfo.InvariantCulture);

        Assert.StartsWith("Influx:Timeout ", Assert.Single(Failures(options)), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEach()
    {
        var options = new InfluxOptions { Api = "v2", BatchSize = 0 };

        var failures = Failures(options);

        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.StartsWith("Influx:Url", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Influx:Bucket", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Influx:BatchSize", StringComparison.Ordinal));
    }

    [Fact]
    public void ToString_WithSecrets_LeavesThemOut()
    {
        var options = Valid();
        options.Token = "token-value-123";
        options.Password = "password-value-456";

        var text = options.ToString();

        Assert.Contains("Url=http://localhost:8086", text, StringComparison.Ordinal);
        Assert.Contains("Token=(set)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("token-value-123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("password-value-456", text, StringComparison.Ordinal);
    }
}
