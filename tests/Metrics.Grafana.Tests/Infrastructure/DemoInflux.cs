using Metrics.Testing;

namespace Metrics.Grafana.Tests.Infrastructure;

/// <summary>A real InfluxDB 1.6 filled once with <see cref="DemoData"/>, shared by every test of the collection.</summary>
public sealed class DemoInflux : IAsyncLifetime
{
    private readonly InfluxDbFixture _server = new();

    public InfluxDbProcess Server => _server;

    public string Database { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_server).InitializeAsync();
        Database = _server.NewDatabase();
        await DemoData.FillAsync(_server, Database);
    }

    public Task DisposeAsync() => ((IAsyncLifetime)_server).DisposeAsync();

    public Task<IReadOnlyList<InfluxSeries>> QueryAsync(string query) => QueryAsync(Database, query);

    public async Task<IReadOnlyList<InfluxSeries>> QueryAsync(string database, string query) =>
        InfluxResult.Parse(await _server.QueryAsync(database, query), query);

    /// <summary>A new empty database on the same server, for data shaped by one test.</summary>
    public string NewDatabase() => _server.NewDatabase();
}

[CollectionDefinition(Name)]
public sealed class DemoInfluxCollection : ICollectionFixture<DemoInflux>
{
    public const string Name = "demo influx";
}
