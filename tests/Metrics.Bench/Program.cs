using System.Diagnostics;
using System.Globalization;
using Metrics.Bench;

// Usage: dotnet run -c Release --project tests/Metrics.Bench -- [engine|journal] [people] [events] [days]
// Prints events/s, elapsed time and peak memory; the goal is ~50M events of 100k people in about a minute
// within 512 MiB (run it under `systemd-run -p MemoryMax=512M` or `ulimit -v` to enforce the cap).
var mode = args.Length > 0 ? args[0] : "engine";
var people = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var events = args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : 50_000_000;
var days = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 365;

var result = mode switch
{
    "engine" => RecomputeBench.Engine(people, events, days),
    "journal" => await RecomputeBench.JournalAsync(people, events, days),
    _ => throw new ArgumentException($"unknown mode '{mode}': engine or journal"),
};

using var process = Process.GetCurrentProcess();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{mode}: {people:N0} people, {result.Events:N0} events, {days} days -> {result.Points:N0} points in {result.Elapsed.TotalSeconds:F1} s " +
    $"({result.Events / result.Elapsed.TotalSeconds:N0} events/s); peak working set {process.PeakWorkingSet64 / (1024 * 1024):N0} MiB, " +
    $"managed heap now {GC.GetTotalMemory(false) / (1024 * 1024):N0} MiB"));
foreach (var (phase, elapsed) in result.Phases)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {phase}: {elapsed.TotalSeconds:F1} s"));
}
