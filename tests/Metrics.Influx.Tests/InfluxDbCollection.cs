using Metrics.Testing;

namespace Metrics.Influx.Tests;

/// <summary>One influxd for every test class that needs it; each test uses its own database.</summary>
[CollectionDefinition(Name)]
public sealed class InfluxDbCollection : ICollectionFixture<InfluxDbFixture>
{
    public const string Name = "influxd";
}
