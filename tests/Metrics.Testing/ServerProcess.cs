using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Metrics.Testing;

/// <summary>
/// A real server binary run for tests: a fresh temp directory, a free loopback port, readiness polling, and the tail of
/// its output in every failure message. Stop and start again keep the directory and the port, so outage tests can take
/// the server away and bring the same data back.
/// </summary>
public abstract class ServerProcess : IAsyncDisposable
{
    private const int TailLines = 40;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly Queue<string> _tail = new();
    private readonly string _name;
    private readonly string _executable;
    private readonly string _package;
    private Process? _process;
    private string? _directory;
    private bool _disposed;

    protected ServerProcess(string name, string executable, string package)
    {
        _name = name;
        _executable = executable;
        _package = package;
        Http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The temp directory holding the server's data; created by the first <see cref="StartAsync"/>.</summary>
    public string DataDirectory => _directory ?? throw new InvalidOperationException($"{_name} has not been started.");

    /// <summary>The loopback HTTP port, fixed at the first start.</summary>
    public int Port { get; private set; }

    /// <summary>Base URL of the server, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>For calls from the fixture itself and from tests that talk to the server directly.</summary>
    public HttpClient Http { get; }

    /// <summary>The last lines the server printed, for failure messages.</summary>
    public string OutputTail
    {
        get
        {
            lock (_tail)
            {
                return string.Join('\n', _tail);
            }
        }
    }

    /// <summary>Starts the server (first time: in a new temp dir on a free port) and waits until it answers.</summary>
    public async Task StartAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!File.Exists(_executable))
        {
            throw new InvalidOperationException($"{_name} not found: install the Debian package '{_package}' (tests/run.sh does this)");
        }

        if (IsRunning)
        {
            return;
        }

        if (_directory is null)
        {
            _directory = Directory.CreateTempSubdirectory($"metrics-{_name}-").FullName;
            Port = FreeLoopbackPort();
            Prepare(_directory, Port);
        }

        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var argument in Arguments(_directory, Port))
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{_name} exited with code {process.ExitCode} before it was ready. Output:\n{OutputTail}");
            }

            try
            {
                using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                if (await IsReadyAsync(probe.Token))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > ReadyTimeout)
            {
                await StopAsync();
                throw new TimeoutException($"{_name} on port {Port} was not ready within {ReadyTimeout}. Output:\n{OutputTail}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Kills the server and its children; the data directory and the port stay for a later <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(wait.Token);
        }
        finally
        {
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await StopAsync();
        Http.Dispose();
        if (_directory is not null && Directory.Exists(_directory))
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still being closed by the dying process; the temp dir is cleaned by the OS eventually.
            }
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Writes whatever the server needs in its directory before the first start (config files).</summary>
    protected virtual void Prepare(string directory, int port)
    {
    }

    protected abstract IEnumerable<string> Arguments(string directory, int port);

    protected abstract Task<bool> IsReadyAsync(CancellationToken cancellationToken);

    /// <summary>A port that was free a moment ago: bind port 0 on loopback and release it.</summary>
    protected static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }
}
