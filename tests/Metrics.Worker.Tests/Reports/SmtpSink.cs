using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Metrics.Worker.Tests.Reports;

/// <summary>One message as the sink received it: the envelope, the decoded AUTH PLAIN credentials, and the raw data.</summary>
public sealed record ReceivedMail(string? From, IReadOnlyList<string> To, string? Credentials, string Data);

/// <summary>
/// A minimal SMTP server (RFC 5321 commands EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) on a free loopback port, started
/// by the test; it keeps what it is sent. Enough to prove the mail client speaks SMTP and what it delivers.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public SmtpSink()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public ConcurrentQueue<ReceivedMail> Messages { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    /// <summary>The path of <c>MAIL FROM:&lt;a&gt; BODY=8BITMIME</c> or <c>RCPT TO:&lt;a&gt;</c>, without parameters.</summary>
    private static string Address(string line) => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0];

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 sink ESMTP");
            string? from = null;
            string? credentials = null;
            var to = new List<string>();
            while (await reader.ReadLineAsync() is { } line)
            {
                var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                switch (words.Length > 0 ? words[0].ToUpperInvariant() : string.Empty)
                {
                    case "EHLO":
                        await writer.WriteAsync("250-sink\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n");
                        break;
                    case "AUTH":
                        var payload = words.Length > 2 ? words[2] : null;
                        if (payload is null)
                        {
                            await writer.WriteLineAsync("334 ");
                            payload = await reader.ReadLineAsync() ?? string.Empty;
                        }

                        credentials = Encoding.UTF8.GetString(Convert.FromBase64String(payload));
                        await writer.WriteLineAsync("235 2.7.0 accepted");
                        break;
                    case "MAIL":
                        from = Address(line);
                        await writer.WriteLineAsync("250 ok");
                        break;
                    case "RCPT":
                        to.Add(Address(line));
                        await writer.WriteLineAsync("250 ok");
                        break;
                    case "DATA":
                        await writer.WriteLineAsync("354 end with <CRLF>.<CRLF>");
                        var data = new StringBuilder();
                        while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                        {
                            // RFC 5321 4.5.2: a leading dot was doubled by the client.
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        Messages.Enqueue(new ReceivedMail(from, [.. to], credentials, data.ToString()));
                        to.Clear();
                        await writer.WriteLineAsync("250 queued");
                        break;
                    case "QUIT":
                        await writer.WriteLineAsync("221 bye");
                        return;
                    case "RSET" or "NOOP":
                        await writer.WriteLineAsync("250 ok");
                        break;
                    default:
                        await writer.WriteLineAsync("502 not implemented");
                        break;
                }
            }
        }
    }
}
