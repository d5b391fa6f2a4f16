using Metrics.Core.Events;

namespace Metrics.Journal.Tests;

/// <summary>
/// The test assembly doubles as the child process of the kill -9 test: run as <c>kill-writer PATH</c> it appends
/// batches forever and acknowledges each one on stdout after AppendAsync returned, as a push endpoint would.
/// Run any other way it does nothing (tests run through the test host, not through this entry point).
/// </summary>
public static class Program
{
    public const int BatchSize = 500;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 2 || args[0] != "kill-writer")
        {
            return 0;
        }

        using var journal = new SqliteEventJournal(args[1]);
        for (var batch = 0; ; batch++)
        {
            // Each batch re-delivers the second half of the previous one, so a replay after a crash is exercised too.
            var first = Math.Max(0, (batch * BatchSize) - (BatchSize / 2));
            var events = Enumerable.Range(first, ((batch + 1) * BatchSize) - first)
                .Select(i => Ev.Make($"e{i:D9}", Ev.T0.AddSeconds(i), person: $"p{i % 997}"))
                .ToList();
            var result = await journal.AppendAsync(events);
            if (result.Inserted != BatchSize || result.Replaced != 0)
            {
                await Console.Error.WriteLineAsync($"unexpected {result}");
                return 1;
            }

            await Console.Out.WriteLineAsync($"acked {batch + 1}");
            await Console.Out.FlushAsync();
        }
    }
}
