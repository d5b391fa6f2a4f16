using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Metrics.Core.Directory;
using Metrics.Core.Kpis;
using Metrics.Core.Ports;
using Metrics.Worker.Application;
using Metrics.Sources.Sync;
using Metrics.Worker.Hosting;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Cli;

/// <summary>
/// The command line. Unrecognised <c>--Section:Key value</c> tokens are configuration, as in any .NET host, so every
/// setting can come from appsettings.json, the environment (<c>Section__Key</c>) or the command line.
/// </summary>
public static class MetricsCli
{
    /// <summary>Exit codes: 0 success, 1 failure, 2 some input lines were rejected (the rest loaded).</summary>
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Rejected = 2;

    /// <summary>Exit code after SIGTERM (128 + 15), as a shell reports a process it terminated.</summary>
    public const int Terminated = 143;

    /// <summary>How long a command may take to return after SIGTERM before the process ends regardless (the host's default shutdown timeout).</summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The process entry: runs the command line with SIGTERM cancelling the command's token. The command line's own
    /// SIGTERM handling rides on the runtime's process-exit event, which the host's console lifetime suppresses (it takes
    /// SIGTERM to stop the host, which one-shot commands do not wait on), so a SIGTERM reached no command: a recompute
    /// went on, and a request in flight, such as an InfluxDB delete, held the process until its own timeout.
    /// </summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) =>
        InvokeTerminableAsync(Build(output, error), args);

    /// <summary>
    /// Runs <paramref name="root"/> with SIGTERM cancelling the command's token (exit <see cref="Terminated"/>); shared by
    /// every executable whose commands build a host, since any host's console lifetime would swallow the signal.
    /// </summary>
    public static async Task<int> InvokeTerminableAsync(RootCommand root, string[] args)
    {
        ArgumentNullException.ThrowIfNull(root);
        using var terminate = new CancellationTokenSource();
        using var sigterm = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            // Handled here: the command returns through its usual error path (its journal transaction rolled back).
            context.Cancel = true;
            terminate.Cancel();
            _ = Task.Delay(TerminationGrace).ContinueWith(_ => Environment.Exit(Terminated), TaskScheduler.Default);
        });
        var code = await root.Parse(args).InvokeAsync(cancellationToken: terminate.Token);
        return terminate.IsCancellationRequested ? Terminated : code;
    }

    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Metrics: AI-readiness KPIs from usage events, written to InfluxDB.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.Subcommands.Add(RunCommand());
        root.Subcommands.Add(ImportCommand(output, error));
        root.Subcommands.Add(RecomputeCommand(output, error));
        root.Subcommands.Add(KpisCommand(output, error));
        root.Subcommands.Add(SyncCommand(output, error));
        root.Subcommands.Add(BackfillCommand(output, error));
        root.Subcommands.Add(HealthCommand(output, error));
        root.Subcommands.Add(ReportCommand.Build(output, error));
        return root;
    }

    private static Command RunCommand()
    {
        var command = new Command("run", "Run the service: recompute dirty days every Worker:Interval and serve /healthz.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parse, ct) =>
        {
            var app = WorkerHost.BuildWebApp([.. parse.UnmatchedTokens]);
            await app.RunAsync(ct);
            return Ok;
        });
        return command;
    }

    private static Command ImportCommand(TextWriter output, TextWriter error)
    {
        var events = new Option<FileInfo?>("--events") { Description = "Events, JSON Lines (spec: Import formats)." };
        var directory = new Option<FileInfo?>("--directory") { Description = "Directory CSV: person,department,level,from,to." };
        var courses = new Option<FileInfo?>("--courses") { Description = "Course catalog CSV: course,levels." };
        var to = new Option<string?>("--to") { Description = "Last day to compute (yyyy-MM-dd); default today in the org zone." };
        var identities = new Option<FileInfo?>("--identities") { Description = "Identity map CSV: identity,person (e.g. github:<login>,<person>)." };
        var noRecompute = new Option<bool>("--no-recompute") { Description = "Only load; the service or 'recompute' computes later." };
        var command = new Command("import", "Load canonical events, directory, course catalog and identity map, then recompute the days they affect.")
        {
            events, directory, courses, identities, to, noRecompute,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => Guarded(error, async () =>
        {
            if (parse.GetValue(events) is null && parse.GetValue(directory) is null && parse.GetValue(courses) is null && parse.GetValue(identities) is null)
            {
                await error.WriteLineAsync("import: give at least one of --events, --directory, --courses, --identities.");
                return Failed;
            }

            var through = ParseDate(parse.GetValue(to), "--to");
            using var host = await WorkerHost.StartCliHostAsync([.. parse.UnmatchedTokens], ct);
            var importer = host.Services.GetRequiredService<CanonicalImporter>();
            var issues = 0L;
            void OnIssue(ImportIssue issue)
            {
                // The first thousand are printed; the counts below cover every one.
                if (++issues <= 1000)
                {
                    error.WriteLine($"{Path.GetFileName(issue.File)}:{issue.Line}: rejected: {issue.Reason}");
                }
            }

            var report = await importer.ImportAsync(
                parse.GetValue(events)?.FullName,
                parse.GetValue(directory)?.FullName,
                parse.GetValue(courses)?.FullName,
                OnIssue,
                new SyncProgress<ImportProgress>(p => error.WriteLine(
                    $"events: {p.Lines:N0} lines, {p.Accepted:N0} accepted, {p.Rejected:N0} rejected ({Rate(p.Lines, p.Elapsed)} lines/s)")),
                ct);

            if (parse.GetValue(identities) is { } map)
            {
                await importer.ImportIdentitiesAsync(map.FullName, report, OnIssue, ct);
            }

            await output.WriteLineAsync(
                $"imported: directory {report.DirectoryAccepted} rows ({report.DirectoryRejected} rejected), " +
                $"courses {report.CoursesAccepted} ({report.CoursesRejected} rejected), " +
                $"identities {report.IdentitiesAccepted} ({report.IdentitiesRejected} rejected), " +
                $"events {report.EventsAccepted:N0} ({report.EventsInserted:N0} new, {report.EventsReplaced:N0} replaced, " +
                $"{report.EventsUnchanged:N0} unchanged, {report.EventsRejected:N0} rejected)");

            if (!parse.GetValue(noRecompute))
            {
                await RecomputeDirtyAsync(host, through, output, error, ct);
            }

            return report.Rejected > 0 ? Rejected : Ok;
        }));
        return command;
    }

    private static Command RecomputeCommand(TextWriter output, TextWriter error)
    {
        var from = new Option<string>("--from") { Description = "First day (yyyy-MM-dd).", Required = true };
        var to = new Option<string>("--to") { Description = "Last day (yyyy-MM-dd).", Required = true };
        var command = new Command("recompute", "Recompute the KPIs of a day range from the journal and replace them in InfluxDB.") { from, to };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => Guarded(error, async () =>
        {
            var first = ParseDate(parse.GetValue(from), "--from")!.Value;
            var last = ParseDate(parse.GetValue(to), "--to")!.Value;
            using var host = await WorkerHost.StartCliHostAsync([.. parse.UnmatchedTokens], ct);
            await host.Services.GetRequiredService<IKpiStore>().EnsureReadyAsync(ct);
            var result = await host.Services.GetRequiredService<KpiRecomputer>().RecomputeAsync(first, last, RecomputeProgressPrinter(error), ct);
            await PrintRecomputed(output, result);
            return Ok;
        }));
        return command;
    }

    private static Command KpisCommand(TextWriter output, TextWriter error)
    {
        var from = new Option<string>("--from") { Description = "First day (yyyy-MM-dd).", Required = true };
        var to = new Option<string>("--to") { Description = "Last day (yyyy-MM-dd).", Required = true };
        var department = new Option<string?>("--department") { Description = "Only this department (or \"(small groups)\")." };
        var format = new Option<string>("--format") { Description = "table, jsonl (spec: Export format) or csv (RFC 4180, header row; the org's department is empty).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "jsonl", "csv");
        var command = new Command("kpis", "Read the stored KPIs back from InfluxDB.") { from, to, department, format };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => Guarded(error, async () =>
        {
            var first = ParseDate(parse.GetValue(from), "--from")!.Value;
            var last = ParseDate(parse.GetValue(to), "--to")!.Value;
            var only = parse.GetValue(department);
            if (only is not null && DepartmentName.Check(only) is { } reason
                && !string.Equals(only.Trim(), DepartmentName.Reserved, StringComparison.OrdinalIgnoreCase))
            {
                throw new CliException($"--department: {reason}");
            }

            using var host = await WorkerHost.StartCliHostAsync([.. parse.UnmatchedTokens], ct);
            var points = host.Services.GetRequiredService<IKpiStore>().ReadAsync(first, last, only, ct);
            if (parse.GetValue(format) == "jsonl")
            {
                await foreach (var p in points)
                {
                    await output.WriteLineAsync(KpiExport.ToJsonLine(p));
                }
            }
            else if (parse.GetValue(format) == "csv")
            {
                await KpiExport.WriteCsvAsync(points, output, ct);
            }
            else
            {
                await KpiExport.WriteTableAsync(points, output, ct);
            }

            return Ok;
        }));
        return command;
    }

    private static Command SyncCommand(TextWriter output, TextWriter error)
    {
        var once = new Option<bool>("--once") { Description = "Pull every enabled source once (or --source), then recompute the days it changed." };
        var source = new Option<string?>("--source") { Description = "Only this source: directory, lms, lowcode or ticketing." };
        var command = new Command("sync", "Pull the sources incrementally from their checkpoints, then recompute.") { once, source };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => Guarded(error, async () =>
        {
            if (!parse.GetValue(once))
            {
                throw new CliException("sync needs --once; 'run' is the service that syncs on each source's schedule");
            }

            using var host = await WorkerHost.StartCliHostAsync([.. parse.UnmatchedTokens], ct);
            return await SyncAndRecomputeAsync(host, parse.GetValue(source), null, null, output, error, ct);
        }));
        return command;
    }

    private static Command BackfillCommand(TextWriter output, TextWriter error)
    {
        var from = new Option<string>("--from") { Description = "First day to re-read (yyyy-MM-dd, by the server's stored/updated clock).", Required = true };
        var to = new Option<string>("--to") { Description = "Last day to re-read (yyyy-MM-dd).", Required = true };
        var source = new Option<string?>("--source") { Description = "Only this source: directory, lms, lowcode or ticketing." };
        var command = new Command("backfill", "Re-read a past range from the sources (checkpoints stay), then recompute.") { from, to, source };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => Guarded(error, async () =>
        {
            var first = ParseDate(parse.GetValue(from), "--from")!.Value;
            var last = ParseDate(parse.GetValue(to), "--to")!.Value;
            if (last < first)
            {
                throw new CliException($"--to {last:yyyy-MM-dd} is before --from {first:yyyy-MM-dd}");
            }

            using var host = await WorkerHost.StartCliHostAsync([.. parse.UnmatchedTokens], ct);
            var calendar = host.Services.GetRequiredService<KpiRecomputer>().Calendar;
            return await SyncAndRecomputeAsync(host, parse.GetValue(source), calendar.StartOf(first), calendar.StartOf(last.AddDays(1)), output, error, ct);
        }));
        return command;
    }

    /// <summary>A container health probe that needs no curl in the runtime image: exit 0 when the URL answers 2xx.</summary>
    private static Command HealthCommand(TextWriter output, TextWriter error)
    {
        var url = new Argument<string>("url") { Description = "The health endpoint, e.g. http://127.0.0.1:8080/healthz.", DefaultValueFactory = _ => "http://127.0.0.1:8080/healthz" };
        var command = new Command("health", "Probe a health endpoint (for container health checks).") { url };
        command.SetAction(async (parse, ct) =>
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            try
            {
                using var response = await http.GetAsync(new Uri(parse.GetValue(url)!), ct);
                await output.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase}");
                return response.IsSuccessStatusCode ? Ok : Failed;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
            {
                await error.WriteLineAsync($"unhealthy: {ex.Message}");
                return Failed;
            }
        });
        return command;
    }

    private static async Task<int> SyncAndRecomputeAsync(IHost host, string? source, DateTimeOffset? from, DateTimeOffset? to, TextWriter output, TextWriter error, CancellationToken ct)
    {
        IngestionResult result;
        try
        {
            result = await host.Services.GetRequiredService<IngestionCycle>().RunAsync(
                new IngestionRequest
                {
                    Sources = source is null ? null : [source],
                    BackfillFrom = from,
                    BackfillTo = to,
                    SyncProgress = new SyncProgress<Metrics.Sources.Sync.SyncProgress>(p =>
                        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"{p.Source}: {p.Pages:N0} pages, {p.Items:N0} items, {p.Events:N0} events ({p.EventsPerSecond:N0} events/s)"))),
                    RecomputeProgress = RecomputeProgressPrinter(error),
                },
                ct);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.Message);
        }

        var report = result.Sync;
        foreach (var s in report.Sources)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{s.Source}: {(s.Skipped ? "skipped" : s.Succeeded ? "ok" : "FAILED")}, {s.Pages:N0} pages ({s.FailedPages} failed), {s.Items:N0} items, " +
                $"{s.EventsStored:N0} events ({s.Inserted:N0} new, {s.Replaced:N0} replaced, {s.Unchanged:N0} unchanged), " +
                $"{s.BadItemCount:N0} bad items, {s.Unresolved:N0} unresolved, {s.Duration.TotalSeconds:F1} s"));
            foreach (var bad in s.BadItems.Take(20))
            {
                await error.WriteLineAsync($"{s.Source}: bad item {bad.ItemId}: {bad.Reason}");
            }

            if (s.Error is not null)
            {
                await error.WriteLineAsync($"{s.Source}: error: {s.Error}");
            }
        }

        await PrintRecomputedAsync(output, result.Recompute);
        return report.Succeeded ? (report.BadItems > 0 ? Rejected : Ok) : Failed;
    }

    internal static async Task RecomputeDirtyAsync(IHost host, DateOnly? through, TextWriter output, TextWriter error, CancellationToken ct)
    {
        await host.Services.GetRequiredService<IKpiStore>().EnsureReadyAsync(ct);
        var result = await host.Services.GetRequiredService<KpiRecomputer>().RecomputeDirtyAsync(through, RecomputeProgressPrinter(error), ct);
        await PrintRecomputedAsync(output, result);
    }

    /// <summary>One line on what a recompute did, or that nothing was dirty.</summary>
    public static async Task PrintRecomputedAsync(TextWriter output, RecomputeResult? result)
    {
        if (result is null)
        {
            await output.WriteLineAsync("nothing to recompute");
            return;
        }

        await PrintRecomputed(output, result);
    }

    private static async Task PrintRecomputed(TextWriter output, RecomputeResult result)
    {
        var unresolved = string.Join(", ", result.Coverage.Where(c => c.Value.Unresolved > 0).Select(c => $"{c.Key} {c.Value.Unresolved}"));
        await output.WriteLineAsync(
            $"recomputed {result.From:yyyy-MM-dd}..{result.To:yyyy-MM-dd}: {result.PointsWritten:N0} points from {result.EventsRead:N0} events " +
            $"in {result.Elapsed.TotalSeconds:F1} s" + (unresolved.Length > 0 ? $"; unresolved events: {unresolved}" : string.Empty));
    }

    public static IProgress<RecomputeProgress> RecomputeProgressPrinter(TextWriter error)
    {
        TimeSpan? last = null;
        return new SyncProgress<RecomputeProgress>(p =>
        {
            if (last is null || p.Elapsed - last >= TimeSpan.FromSeconds(1) || p.DaysDone == p.DaysTotal)
            {
                last = p.Elapsed;
                error.WriteLine($"recompute: {p.Day:yyyy-MM-dd} ({p.DaysDone}/{p.DaysTotal} days, {p.Points:N0} points, {p.Elapsed.TotalSeconds:F1} s)");
            }
        });
    }

    private static string Rate(long count, TimeSpan elapsed) =>
        elapsed.TotalSeconds <= 0 ? "-" : (count / elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture);

    internal static DateOnly? ParseDate(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new CliException($"{option} '{text}' is not a yyyy-MM-dd date");
    }

    /// <summary>Turns expected failures into one clear line on stderr and exit code 1; nothing is silently swallowed.</summary>
    internal static async Task<int> Guarded(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (CliException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
        }
        catch (OptionsValidationException ex)
        {
            await WriteConfigurationErrorsAsync(error, [ex]);
        }
        catch (AggregateException ex) when (ex.Flatten().InnerExceptions.All(e => e is OptionsValidationException))
        {
            // Start-up validation of several option types reports them together.
            await WriteConfigurationErrorsAsync(error, ex.Flatten().InnerExceptions.Cast<OptionsValidationException>());
        }
        catch (FileNotFoundException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("cancelled");
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or HttpRequestException || ex.GetType().Name.EndsWith("StoreException", StringComparison.Ordinal))
        {
            await error.WriteLineAsync($"error: {ex.Message}");
        }
        catch (Exception ex)
        {
            await error.WriteLineAsync($"error: unexpected {ex}");
        }

        return Failed;
    }

    public static async Task WriteConfigurationErrorsAsync(TextWriter error, IEnumerable<OptionsValidationException> exceptions)
    {
        foreach (var failure in exceptions.SelectMany(e => e.Failures).Distinct(StringComparer.Ordinal))
        {
            await error.WriteLineAsync($"configuration error: {failure}");
        }
    }

    /// <summary>Reports on the caller's thread: Progress&lt;T&gt; would post to the thread pool and reorder lines.</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

/// <summary>A command-line usage error with a message for the user.</summary>
public sealed class CliException(string message) : Exception(message);
