using System.Diagnostics;
using System.Net;
using Metrics.Testing;
using Metrics.Worker.Tests.Operations;

namespace Metrics.Reliability.Tests;

/// <summary>
/// The running service's journal becomes unwritable under it. The tests run as root, which ignores file modes, so the
/// journal's files are made immutable (<c>chattr +i</c>): the kernel then refuses every write, root's included, through
/// new and already open descriptors alike, as a read-only file system would.
/// </summary>
public sealed class ReadOnlyJournalTests(InfluxDbFixture influx) : IClassFixture<InfluxDbFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_JournalBecomesImmutable_StopsPullingReportsItAndResumesWhenWritable()
    {
        // The LMS is due every 10 s (the shortest interval allowed), so a window of 11 s without its pull shows the stop.
        await using var service = await ServiceUnderTest.CreateAsync(influx, simulate: true, ["--Sources:Lms:Interval", "00:00:10"]);
        await service.StartAsync();
        await ServiceUnderTest.EventuallyAsync(() => service.StatusAsync("/health/ready"), s => s == HttpStatusCode.OK, Patience, "ready");
        await ServiceUnderTest.EventuallyAsync(() => Task.FromResult(Pulls(service.Process.Output)), n => n > 0, Patience, "a first pull");

        // Not the -shm file: SQLite maps it into memory, and a store into a mapping of a file made immutable after it
        // was mapped is answered by SIGBUS (exit code 135), which kills the process. A read-only file system cannot
        // arise under an open writable mapping (the remount is refused), so only the database and its WAL are frozen.
        var files = Directory.GetFiles(service.WorkDirectory, "journal.db*").Where(f => !f.EndsWith("-shm", StringComparison.Ordinal)).ToArray();
        Assert.Contains(files, f => f.EndsWith("journal.db", StringComparison.Ordinal));
        try
        {
            Chattr("+i", files);
            var (_, body) = await ServiceUnderTest.EventuallyAsync(() => ReadyAsync(service), r => r.Status == HttpStatusCode.ServiceUnavailable, Patience, "not ready");
            Assert.Contains("journal not writable (", body, StringComparison.Ordinal);
            Assert.Contains("pulling is stopped until it is", body, StringComparison.Ordinal);
            Console.WriteLine(body);

            // A cycle under way when the files turned immutable may still finish its pulls; the next ones must not pull.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var pullsWhenStopped = Pulls(service.Process.Output);
            await Task.Delay(TimeSpan.FromSeconds(11));
            Assert.Equal(pullsWhenStopped, Pulls(service.Process.Output));
            Assert.False(service.Process.HasExited, $"the service ended (exit code {(service.Process.HasExited ? service.Process.ExitCode : 0)}):\n{service.Process.Error}\n{Tail(service.Process.Output)}");
        }
        finally
        {
            Chattr("-i", files);
        }

        var stoppedAt = Pulls(service.Process.Output);
        await ServiceUnderTest.EventuallyAsync(() => service.StatusAsync("/health/ready"), s => s == HttpStatusCode.OK, Patience, "ready again");
        await ServiceUnderTest.EventuallyAsync(() => Task.FromResult(Pulls(service.Process.Output)), n => n > stoppedAt, Patience, "pulling again");
    }

    private static async Task<(HttpStatusCode Status, string Body)> ReadyAsync(ServiceUnderTest service)
    {
        Assert.False(service.Process.HasExited, $"the service ended (exit code {(service.Process.HasExited ? service.Process.ExitCode : 0)}):\n{service.Process.Error}\n{Tail(service.Process.Output)}");
        try
        {
            return await service.GetAsync("/health/ready");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // A connection dropped on a loaded machine is not an answer; the next poll asks again (a dead process fails above).
            return (0, ex.Message);
        }
    }

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;

    /// <summary>The log lines of LMS pulls that ran, finished (event 3001) or failed (3002).</summary>
    private static int Pulls(string output) =>
        output.Split('\n').Count(l => l.Contains("Source lms: ", StringComparison.Ordinal) || l.Contains("Source lms failed", StringComparison.Ordinal));

    private static void Chattr(string flag, IEnumerable<string> files)
    {
        var start = new ProcessStartInfo("chattr") { RedirectStandardError = true };
        start.ArgumentList.Add(flag);
        foreach (var f in files)
        {
            start.ArgumentList.Add(f);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"chattr {flag} failed (the test needs root and a file system with the immutable attribute, such as ext4): {error}");
    }
}
