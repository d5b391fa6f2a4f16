using Metrics.Simulator.Hosting;

namespace Metrics.Simulator.Tests;

/// <summary>
/// Tests that talk to a simulator of the test company over real HTTP (Kestrel on 127.0.0.1, port 0): each test gets a
/// simulator of its own, so a fault one test provokes never reaches another.
/// </summary>
public abstract class SimulatorHttpTests : IAsyncLifetime
{
    private RunningSimulator? _sim;
    private HttpClient? _http;

    protected RunningSimulator Sim => _sim ?? throw new InvalidOperationException("The simulator starts in InitializeAsync.");

    protected HttpClient Http => _http ?? throw new InvalidOperationException("The simulator starts in InitializeAsync.");

    protected SimulatorCredentials Credentials => Sim.Options.Credentials;

    public async Task InitializeAsync()
    {
        _sim = await TestCompany.StartAsync(TestCompany.Options(employees: 60, days: 60));
        _http = new HttpClient { BaseAddress = _sim.BaseUrl };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_sim is not null)
        {
            await _sim.DisposeAsync();
        }
    }
}
