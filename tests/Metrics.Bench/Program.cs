using System.Diagnostics;
using System.Globalization;
using Metrics.Bench;

// Usage (docs/performance.md):
//   dotnet run -c Release --project tests/Metrics.Bench -- path [people] [events-per-person] [days]
//     the whole user path at that scale, each stage with its rate, the limit measured in the same run, their ratio
//     and its peak RSS (default 10,000 people, 50 events each, 365 days)
//   dotnet run -c Release --project tests/Metrics.Bench -- import [people] [events-per-person] [days]
//     the path's import stage alone, with the JsonDocument limit and the importer's parser alone (default 100,000 x 10)
//   dotnet run -c Release --project tests/Metrics.Bench -- write [people] [events] [days] [rounds]
//     the KPI write alone: the engine's points computed into memory once, then the store's write and a raw
//     line-protocol POST of the same points, rounds interleaved, with this process's and influxd's CPU
//   dotnet run -c Release --project tests/Metrics.Bench -- append [events] [people] [random|time] [batch] [bulk]
//     the journal's append alone at that arrival order and batch size, then the same events again (all duplicates)
//   dotnet run -c Release --project tests/Metrics.Bench -- engine|journal [people] [events] [days] [journal-file] [compute]
//     the engine alone on generated events, or appended to a journal and streamed back; with a journal file, the
//     journal is kept there and, when the file exists, streamed without appending again; with "compute", only the
//     stream into the engine is run (not the bare scan nor the stream alone)
var mode = args.Length > 0 ? args[0] : "path";
int Arg(int i, int fallback) => args.Length > i ? int.Parse(args[i], CultureInfo.InvariantCulture) : fallback;

if (mode == "path")
{
    var company = new BenchCompany(Arg(1, 10_000), Arg(3, 365), Arg(2, 50));
    await new PathBench(company, Console.Out).RunAsync();
    return;
}

if (mode == "import")
{
    var company = new BenchCompany(Arg(1, 100_000), Arg(3, 365), Arg(2, 10));
    await new PathBench(company, Console.Out).ImportOnlyAsync();
    return;
}

if (mode == "write")
{
    await WriteBench.RunAsync(Arg(1, 10_000), args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : 200_000, Arg(3, 365), Arg(4, 3), Console.Out);
    return;
}

if (mode == "append")
{
    var count = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
    await AppendBench.RunAsync(count, Arg(2, 100_000), args.Length > 3 ? args[3] : "random", Arg(4, 5000), Console.Out, args.Length > 5 && args[5] == "bulk");
    return;
}

var people = Arg(1, 100_000);
var events = args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : 50_000_000;
var days = Arg(3, 365);
var result = mode switch
{
    "engine" => RecomputeBench.Engine(people, events, days),
    "journal" => await RecomputeBench.JournalAsync(people, events, days, args.Length > 4 ? args[4] : null, args.Length > 5 && args[5] == "compute"),
    _ => throw new ArgumentException($"unknown mode '{mode}': path, engine or journal"),
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
