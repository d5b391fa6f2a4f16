using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Metrics.Core.Directory;
using System.Text;
using Metrics.Core.Events;
using Metrics.Core.Kpis;
using Metrics.Core.Ports;
using Microsoft.Extensions.Options;

namespace Metrics.Worker.Application;

/// <summary>A rejected line: which file, which line (1-based) and why.</summary>
public sealed record ImportIssue(string File, long Line, string Reason);

/// <summary>Progress of an event file import.</summary>
public readonly record struct ImportProgress(long Lines, long Accepted, long Rejected, TimeSpan Elapsed);

/// <summary>What an import loaded and rejected.</summary>
public sealed class ImportReport
{
    public long EventsAccepted { get; set; }

    public long EventsRejected { get; set; }

    public long EventsInserted { get; set; }

    public long EventsReplaced { get; set; }

    public long EventsUnchanged { get; set; }

    public int DirectoryAccepted { get; set; }

    public int DirectoryRejected { get; set; }

    public int CoursesAccepted { get; set; }

    public int CoursesRejected { get; set; }

    public int IdentitiesAccepted { get; set; }

    public int IdentitiesRejected { get; set; }

    public long Rejected => EventsRejected + DirectoryRejected + CoursesRejected + IdentitiesRejected;
}

/// <summary>
/// Loads the spec's import formats into the journal: directory CSV, course catalog CSV and events as JSON Lines.
/// A bad line is reported with its number and reason and skipped; the rest still load. Re-importing a file is
/// harmless: events upsert by (source, id) and a person's directory history is replaced as a whole.
/// </summary>
public sealed class CanonicalImporter(IEventJournal journal, IOptions<KpiOptions> options, TimeProvider timeProvider)
{
    /// <summary>
    /// What an undecodable byte sequence reads as. U+FFFF is a noncharacter, never text a system means to export, so a line
    /// holding it is rejected as not UTF-8 instead of being stored with a silent U+FFFD in a key.
    /// </summary>
    private const char InvalidByteMark = '\uFFFF';

    /// <summary>UTF-8 that reads undecodable bytes as U+FFFF, which the line parser then rejects as not UTF-8.</summary>
    public static readonly Encoding StrictUtf8 = Encoding.GetEncoding(
        "utf-8", EncoderFallback.ExceptionFallback, new DecoderReplacementFallback(InvalidByteMark.ToString()));

    private readonly PlausibleTimeRange _timeRange = options.Value.TimeRange;

    /// <summary>
    /// Events per batch handed to the journal (and per transaction of the push API's chunks). A file of one batch takes
    /// the journal's row path, which sorts the batch by time and commits it; a larger file is one call of
    /// <see cref="IEventJournal.AppendManyAsync"/>, which the SQLite journal stages and merges in one transaction, so a
    /// crash during the import stores none of it and the import is run again (events upsert by key). A batch stays a
    /// few MiB of memory (docs/performance.md).
    /// </summary>
    public const int BatchSize = 50_000;

    public async Task<ImportReport> ImportAsync(
        string? eventsPath,
        string? directoryPath,
        string? coursesPath,
        Action<ImportIssue> onIssue,
        IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onIssue);
        var report = new ImportReport();
        // The directory first, so the recompute after the import sees the people the events refer to.
        if (directoryPath is not null)
        {
            await ImportDirectoryAsync(directoryPath, report, onIssue, cancellationToken);
        }

        if (coursesPath is not null)
        {
            await ImportCoursesAsync(coursesPath, report, onIssue, cancellationToken);
        }

        if (eventsPath is not null)
        {
            await ImportEventsAsync(eventsPath, report, onIssue, progress, cancellationToken);
        }

        return report;
    }

    private async Task ImportDirectoryAsync(string path, ImportReport report, Action<ImportIssue> onIssue, CancellationToken cancellationToken)
    {
        var accepted = new List<DirectoryRecord>();
        var byPerson = new Dictionary<string, List<DirectoryRecord>>(StringComparer.Ordinal);
        (report.DirectoryAccepted, report.DirectoryRejected, var directoryReadable) = ReadCsv(path, DirectoryCsvParser.DirectoryHeader, onIssue, line =>
        {
            var result = DirectoryCsvParser.ParseDirectoryLine(line);
            if (result.Value is not { } record)
            {
                return result.Error;
            }

            if (!byPerson.TryGetValue(record.Person, out var previous))
            {
                previous = [];
                byPerson[record.Person] = previous;
            }

            var overlap = OrgDirectory.Validate(record, previous);
            if (overlap is null)
            {
                previous.Add(record);
                accepted.Add(record);
            }

            return overlap;
        });

        if (directoryReadable)
        {
            await journal.ReplaceDirectoryAsync(accepted, cancellationToken);
        }
    }

    private async Task ImportCoursesAsync(string path, ImportReport report, Action<ImportIssue> onIssue, CancellationToken cancellationToken)
    {
        var accepted = new Dictionary<string, Course>(StringComparer.Ordinal);
        (report.CoursesAccepted, report.CoursesRejected, var coursesReadable) = ReadCsv(path, DirectoryCsvParser.CoursesHeader, onIssue, line =>
        {
            var result = DirectoryCsvParser.ParseCourseLine(line);
            if (result.Value is not { } course)
            {
                return result.Error;
            }

            return accepted.TryAdd(course.Id, course) ? null : $"course '{course.Id}' is listed twice";
        });

        // An unreadable file must not wipe the catalog in place.
        if (coursesReadable)
        {
            await journal.ReplaceCoursesAsync([.. accepted.Values], cancellationToken);
        }
    }

    /// <summary>
    /// Loads an identity map (<c>identity,person</c>, the format of <c>Sources:Directory:IdentityMapPath</c>) into the
    /// journal: the links a connector's identity map gives a sync, for a history that is imported instead of pulled.
    /// A person's events under a newly linked identity count for that person from the next recompute on.
    /// </summary>
    public async Task ImportIdentitiesAsync(string path, ImportReport report, Action<ImportIssue> onIssue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(onIssue);
        var accepted = new Dictionary<string, IdentityLink>(StringComparer.Ordinal);
        (report.IdentitiesAccepted, report.IdentitiesRejected, var readable) = ReadCsv(path, DirectoryCsvParser.IdentitiesHeader, onIssue, line =>
        {
            var result = DirectoryCsvParser.ParseIdentityLine(line);
            if (result.Value is not { } link)
            {
                return result.Error;
            }

            // Two persons for one identity would make the outcome depend on the row order: the file is ambiguous there.
            if (accepted.TryGetValue(link.Identity, out var earlier) && !string.Equals(earlier.Person, link.Person, StringComparison.Ordinal))
            {
                return $"identity '{link.Identity}' is already linked to another person";
            }

            accepted[link.Identity] = link;
            return null;
        });

        if (readable)
        {
            await journal.UpsertIdentitiesAsync([.. accepted.Values], cancellationToken);
        }
    }

    /// <summary>Reads a CSV with a fixed header; <paramref name="accept"/> returns null or the reason a row is rejected.</summary>
    private static (int Accepted, int Rejected, bool Readable) ReadCsv(string path, string header, Action<ImportIssue> onIssue, Func<string, string?> accept)
    {
        using var reader = OpenText(path);
        var lines = new BoundedLineReader(reader, EventLineParser.MaxLineLength);
        var first = lines.ReadLine();
        var headerError = first is null ? "the file is empty" : DirectoryCsvParser.CheckHeader(first, header);
        if (headerError is not null)
        {
            // Without the expected header the columns cannot be trusted: nothing of the file is loaded.
            onIssue(new ImportIssue(path, 1, headerError));
            return (0, 1, false);
        }

        var (accepted, rejected) = (0, 0);
        long number = 1;
        while (lines.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            var error = ReferenceEquals(line, BoundedLineReader.TooLong)
                ? $"line longer than {EventLineParser.MaxLineLength} characters"
                : line.Contains(InvalidByteMark, StringComparison.Ordinal) ? NotUtf8 : accept(line);
            if (error is null)
            {
                accepted++;
            }
            else
            {
                rejected++;
                onIssue(new ImportIssue(path, number, error));
            }
        }

        return (accepted, rejected, true);
    }

    private async Task ImportEventsAsync(string path, ImportReport report, Action<ImportIssue> onIssue, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        using var file = OpenFile(path);
        // A UTF-16 or UTF-32 file (byte order mark) is decoded as text; everything else is parsed as UTF-8 bytes.
        using var reader = IsUtf16Or32(file) ? new StreamReader(file, StrictUtf8, detectEncodingFromByteOrderMarks: true) : null;
        var parsed = reader is not null
            ? ParseEventLines(reader, _timeRange, timeProvider)
            : ParseEventLines(file, _timeRange, timeProvider);

        // One thread parses while the journal stores the previous batch: on two cores the two overlap, and the bounded
        // channel keeps at most one batch waiting besides the one being parsed and the one being stored.
        var channel = Channel.CreateBounded<ParsedBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parsing = Task.Run(() => ParseBatchesAsync(parsed, path, channel.Writer, onIssue, stop.Token), CancellationToken.None);
        AppendResult stored;
        try
        {
            stored = await journal.AppendManyAsync(Batches(channel.Reader, progress, stopwatch, stop.Token), cancellationToken);
        }
        catch
        {
            // The parser must not outlive the import nor go on reading the file.
            await stop.CancelAsync();
            try
            {
                await parsing;
            }
            catch (Exception parseFailure) when (parseFailure is OperationCanceledException or ChannelClosedException)
            {
            }

            throw;
        }

        var (lines, accepted, rejected) = await parsing;
        report.EventsAccepted += accepted;
        report.EventsRejected += rejected;
        report.EventsInserted += stored.Inserted;
        report.EventsReplaced += stored.Replaced;
        report.EventsUnchanged += stored.Unchanged;
        progress?.Report(new ImportProgress(lines, accepted, rejected, stopwatch.Elapsed));
    }

    /// <summary>Parsed events of up to <see cref="BatchSize"/> lines, with the counts up to its last line for progress.</summary>
    private sealed record ParsedBatch(List<CanonicalEvent> Events, long Line, long Accepted, long Rejected);

    /// <summary>Runs on its own thread: reports rejected lines in file order and hands full batches to the journal.</summary>
    private static async Task<(long Lines, long Accepted, long Rejected)> ParseBatchesAsync(
        IEnumerable<(long Line, ParseResult<CanonicalEvent> Result)> lines, string path, ChannelWriter<ParsedBatch> writer, Action<ImportIssue> onIssue, CancellationToken cancellationToken)
    {
        try
        {
            var batch = new List<CanonicalEvent>(BatchSize);
            long number = 0, accepted = 0, rejected = 0;
            foreach (var (line, result) in lines)
            {
                cancellationToken.ThrowIfCancellationRequested();
                number = line;
                if (result.Value is { } e)
                {
                    batch.Add(e);
                    accepted++;
                }
                else
                {
                    rejected++;
                    onIssue(new ImportIssue(path, number, result.Error!));
                }

                if (batch.Count >= BatchSize)
                {
                    await writer.WriteAsync(new ParsedBatch(batch, number, accepted, rejected), cancellationToken);
                    batch = new List<CanonicalEvent>(BatchSize);
                }
            }

            if (batch.Count > 0)
            {
                await writer.WriteAsync(new ParsedBatch(batch, number, accepted, rejected), cancellationToken);
            }

            writer.Complete();
            return (number, accepted, rejected);
        }
        catch (Exception ex)
        {
            writer.Complete(ex);
            throw;
        }
    }

    /// <summary>The parsed batches as the journal takes them; progress is reported once a batch has been taken.</summary>
    private static async IAsyncEnumerable<IReadOnlyList<CanonicalEvent>> Batches(
        ChannelReader<ParsedBatch> reader, IProgress<ImportProgress>? progress, Stopwatch stopwatch, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lastReport = TimeSpan.Zero;
        await foreach (var batch in reader.ReadAllAsync(cancellationToken))
        {
            yield return batch.Events;
            if (stopwatch.Elapsed - lastReport > TimeSpan.FromSeconds(1))
            {
                lastReport = stopwatch.Elapsed;
                progress?.Report(new ImportProgress(batch.Line, batch.Accepted, batch.Rejected, stopwatch.Elapsed));
            }
        }
    }

    /// <summary>
    /// The events of a JSON Lines text, each with its 1-based line number, parsed as <c>import --events</c> parses
    /// them (blank lines skipped, over-long lines rejected unread, undecodable bytes rejected when the reader uses
    /// <see cref="StrictUtf8"/>, times outside <paramref name="timeRange"/> rejected). The push API reads its bodies
    /// through this too, so a line is valid there exactly when it is valid in an import.
    /// </summary>
    public static IEnumerable<(long Line, ParseResult<CanonicalEvent> Result)> ParseEventLines(
        TextReader reader, PlausibleTimeRange? timeRange = null, TimeProvider? clock = null)
    {
        var lines = new BoundedLineReader(reader, EventLineParser.MaxLineLength);
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        long number = 0;
        while (lines.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            yield return (number, ReferenceEquals(line, BoundedLineReader.TooLong)
                ? ParseResult<CanonicalEvent>.Fail($"line longer than {EventLineParser.MaxLineLength} characters")
                : ParseEvent(line, timeRange ?? PlausibleTimeRange.Default, now));
        }
    }

    /// <summary>
    /// The events of a UTF-8 JSON Lines stream, parsed from the bytes with the same lines, numbers, verdicts and reasons
    /// as <see cref="ParseEventLines(TextReader, PlausibleTimeRange?, TimeProvider?)"/> over a <see cref="StreamReader"/>
    /// with <see cref="StrictUtf8"/> (tests/Metrics.Worker.Tests/Application/Utf8EventLinesTests.cs), without a string
    /// per line. A stream that starts with a UTF-16 or UTF-32 byte order mark must be read as text instead.
    /// </summary>
    public static IEnumerable<(long Line, ParseResult<CanonicalEvent> Result)> ParseEventLines(
        Stream utf8, PlausibleTimeRange? timeRange = null, TimeProvider? clock = null)
    {
        var lines = new Utf8LineReader(utf8, EventLineParser.MaxLineLength);
        var range = timeRange ?? PlausibleTimeRange.Default;
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        long number = 0;
        while (NextEvent(lines, range, now, out var result) is { } read)
        {
            number++;
            if (read)
            {
                yield return (number, result);
            }
        }
    }

    /// <summary>Null at the end, false for a blank line, true with the line's verdict in <paramref name="result"/>.</summary>
    private static bool? NextEvent(Utf8LineReader lines, PlausibleTimeRange range, DateTimeOffset now, out ParseResult<CanonicalEvent> result)
    {
        result = default;
        if (!lines.ReadLine(out var line, out var tooLong))
        {
            return null;
        }

        if (tooLong)
        {
            result = ParseResult<CanonicalEvent>.Fail($"line longer than {EventLineParser.MaxLineLength} characters");
            return true;
        }

        if (line.IsEmpty)
        {
            return false;
        }

        result = ParseEvent(line, range, now);
        return true;
    }

    /// <summary>
    /// Whether the stream starts with a UTF-16 or UTF-32 byte order mark, the encodings a <see cref="StreamReader"/>
    /// detects besides UTF-8. The stream is left at its start.
    /// </summary>
    private static bool IsUtf16Or32(Stream stream)
    {
        Span<byte> head = stackalloc byte[4];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        head = head[..read];
        return head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])
            || head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]);
    }

    private const string NotUtf8 = "not valid UTF-8";

    /// <summary>One event line given as UTF-8 bytes, with the verdicts of <see cref="ParseEvent(string, PlausibleTimeRange, DateTimeOffset)"/>.</summary>
    public static ParseResult<CanonicalEvent> ParseEvent(ReadOnlySpan<byte> line, PlausibleTimeRange timeRange, DateTimeOffset now)
    {
        // The text path reads undecodable bytes as U+FFFF and rejects any U+FFFF: a literal one (EF BF BF) too.
        if (line.IndexOf("\uFFFF"u8) >= 0)
        {
            return ParseResult<CanonicalEvent>.Fail(NotUtf8);
        }

        var result = EventLineParser.Parse(line);
        if (result.Value is { } e && timeRange.Check(e.Time, now) is { } timeError)
        {
            return ParseResult<CanonicalEvent>.Fail(timeError);
        }

        return result;
    }

    /// <summary>One event record as <c>import --events</c> reads it (the push API's JSON array elements go through this too).</summary>
    public static ParseResult<CanonicalEvent> ParseEvent(string line, PlausibleTimeRange timeRange, DateTimeOffset now)
    {
        if (line.Contains(InvalidByteMark, StringComparison.Ordinal))
        {
            return ParseResult<CanonicalEvent>.Fail(NotUtf8);
        }

        var result = EventLineParser.Parse(line);
        if (result.Value is { } e && timeRange.Check(e.Time, now) is { } timeError)
        {
            return ParseResult<CanonicalEvent>.Fail(timeError);
        }

        return result;
    }

    private static FileStream OpenFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"import file not found: {path}", path);
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
    }

    private static StreamReader OpenText(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"import file not found: {path}", path);
        }

        return new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true);
    }
}
