using Metrics.Core.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Metrics.Influx.Tests;

public sealed class InfluxServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddLogging()
            .AddInfluxKpiStore(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void AddInfluxKpiStore_ValidSettings_ResolvesOneStoreAsIKpiStore()
    {
        using var services = Build(new()
        {
            ["Influx:Url"] = "http://127.0.0.1:8086",
            ["Influx:Api"] = "v1",
            ["Influx:Database"] = "kpis",
            ["Influx:BatchSize"] = "250",
            ["Influx:Timeout"] = "00:00:05",
        });

        var store = services.GetRequiredService<IKpiStore>();
        var options = services.GetRequiredService<IOptions<InfluxOptions>>().Value;

        Assert.Same(services.GetRequiredService<InfluxKpiStore>(), store);
        Assert.Equal("kpis", options.Database);
        Assert.Equal(250, options.BatchSize);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Timeout);
    }

    [Fact]
    public void AddInfluxKpiStore_InvalidSettings_FailStartupValidationNamingTheSettings()
    {
        using var services = Build(new()
        {
            ["Influx:Url"] = "influx:8086",
            ["Influx:Api"] = "v2",
            ["Influx:Token"] = "secret-token-value",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Influx:Url 'influx:8086' is not an absolute http(s) URL.", ex.Failures);
        Assert.Contains("Influx:Bucket is required when Influx:Api is v2.", ex.Failures);
        Assert.DoesNotContain("secret-token-value", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddInfluxKpiStore_MissingSection_FailsValidationOnUrl()
    {
        using var services = Build([]);

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IKpiStore>());

        Assert.Contains(ex.Failures, f => f.StartsWith("Influx:Url is required", StringComparison.Ordinal));
    }

    [Fact]
    public void AddInfluxKpiStore_TokenFile_ReadsTheContainerSecret()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "token-from-secret\n");
        try
        {
            using var services = Build(new()
            {
                ["Influx:Url"] = "http://127.0.0.1:8086",
                ["Influx:Api"] = "v2",
                ["Influx:Bucket"] = "metrics",
                ["Influx:Org"] = "org",
                ["Influx:Token_FILE"] = file,
            });

            services.GetRequiredService<IStartupValidator>().Validate();
            Assert.Equal("token-from-secret", services.GetRequiredService<IOptions<InfluxOptions>>().Value.Token);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void AddInfluxKpiStore_UnreadablePasswordFile_FailsNamingTheSettingNotTheSecret()
    {
        using var services = Build(new()
        {
            ["Influx:Url"] = "http://127.0.0.1:8086",
            ["Influx:Api"] = "v1",
            ["Influx:Username"] = "metrics",
            ["Influx:Password_FILE"] = "/nonexistent/influx_password",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Influx:Password_FILE '/nonexistent/influx_password' cannot be read: DirectoryNotFoundException.", ex.Failures);
    }
}
