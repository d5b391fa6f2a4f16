using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Metrics.Core.Directory;
using Metrics.Core.Events;
using Metrics.Core.Ports;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Metrics.Journal;

/// <summary>
/// The event journal in one SQLite file (WAL mode). Every operation takes its own pooled connection, so a background
/// loop and a CLI command can use one instance at once; writers of one instance queue on a lock, and a second process
/// waits on SQLite's busy timeout instead of failing.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite's async methods run synchronously, so the loops below call the synchronous ones and spare
/// a Task per row; the public methods stay asynchronous for the port and for the writer lock.
/// </remarks>
public sealed partial class SqliteEventJournal : IEventJournal, IDisposable
{
    /// <summary>
    /// synchronous = FULL: in WAL mode NORMAL already survives kill -9 (a committed transaction is in the WAL, in the
    /// OS cache), but a power cut or kernel crash could roll back the last commits. Pushed events are acknowledged once
    /// appended and their sender will not resend them, so "accepted" has to mean on disk. FULL costs one fsync per
    /// commit, and appends commit once per batch, so the price is per batch, not per event.
    /// busy_timeout: another process (the CLI while the service runs) waits up to 5 s for the write lock.
    /// cache_size: 32 MiB of pages per connection keeps the dedupe index warm during large appends while a few pooled
    /// connections stay far below the memory budget.
    /// journal_size_limit: a large batch can grow the WAL to hundreds of MiB; after a checkpoint it is cut back to 64 MiB
    /// instead of keeping that size on disk for good.
    /// </summary>
    private const string ConnectionPragmas =
        "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -32768; PRAGMA journal_size_limit = 67108864;";

    private const int BusyTimeoutMilliseconds = 5000;

    /// <summary>
    /// The scan follows the primary key (time_ticks, source, id), so rows come in order without a sort and memory does
    /// not grow with history. Types are tested as a bit mask parameter so the query text never changes.
    /// </summary>
    internal const string StreamSql = """
        SELECT source, id, type, time_ticks, offset_minutes, person, subject, ai_assisted, attributes
        FROM events
        WHERE time_ticks < $end AND retracted = 0 AND type <> 14
          AND (time_ticks >= $full OR (($fullMask >> type) & 1) = 1)
        ORDER BY time_ticks, source, id;
        """;

    /// <summary>Events decoded per hand-over from the reading thread to the consumer; large enough to amortise the hand-over.</summary>
    private const int StreamChunkSize = 1024;

    /// <summary>Chunks in flight between the reading thread and the consumer: bounds the stream's memory.</summary>
    private const int StreamChunksInFlight = 4;

    /// <summary>
    /// Bound on <see cref="_firstEventWritten"/> (a few tens of MiB at most); past it the cache starts over, which only
    /// costs writes. A company has far fewer person values than this.
    /// </summary>
    private const int FirstEventCacheLimit = 250_000;

    private readonly string _connectionString;
    private readonly string _sizeCapPragma;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <summary>
    /// For each person value, a first-event time known to be committed in person_first_event or later than the stored
    /// one. Stored values only ever decrease, so an event at or after the cached time needs no write: without this, a
    /// large append would upsert that table about once per event. Touched only under <see cref="_writeLock"/> and only
    /// after a commit, so it never claims a time the file does not hold.
    /// </summary>
    private readonly Dictionary<string, long> _firstEventWritten = new(StringComparer.Ordinal);

    public SqliteEventJournal(JournalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { } error)
        {
            throw new ArgumentException(error, nameof(options));
        }

        FilePath = options.FullPath();
        // max_page_count is per connection: every pooled connection gets it, so the cap holds for every write.
        _sizeCapPragma = options.MaxSizeMiB > 0
            ? string.Create(CultureInfo.InvariantCulture, $" PRAGMA max_page_count = {(long)options.MaxSizeMiB * 1024 * 1024 / 4096};")
            : string.Empty;
        var directory = Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        }.ToString();

        using var connection = Open();
        JournalSchema.Migrate(connection);
    }

    public SqliteEventJournal(string path)
        : this(new JournalOptions { Path = path })
    {
    }

    /// <summary>The absolute path of the database file.</summary>
    public string FilePath { get; }

    public Task<AppendResult> AppendAsync(IReadOnlyList<CanonicalEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return Task.FromResult(default(AppendResult));
        }

        return WriteAsync(
            (connection, transaction) => Append(connection, transaction, events, _firstEventWritten, cancellationToken),
            committed =>
            {
                if (_firstEventWritten.Count + committed.FirstEvents.Count > FirstEventCacheLimit)
                {
                    _firstEventWritten.Clear();
                }

                foreach (var (person, ticks) in committed.FirstEvents)
                {
                    _firstEventWritten[person] = ticks;
                }

                return committed.Result;
            },
            cancellationToken);
    }

    /// <remarks>
    /// A background task reads and decodes rows into small chunks while the caller consumes the previous ones, so on two
    /// cores reading the journal and computing KPIs overlap; at most a few chunks are in flight.
    /// </remarks>
    public async IAsyncEnumerable<CanonicalEvent> StreamAsync(
        DateTimeOffset fullHistoryBefore,
        DateTimeOffset end,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = Channel.CreateBounded<ArraySegment<CanonicalEvent>>(new BoundedChannelOptions(StreamChunksInFlight)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => ReadEventsAsync(channel.Writer, fullHistoryBefore, end, stop.Token), CancellationToken.None);
        try
        {
            while (await channel.Reader.WaitToReadAsync(cancellationToken))
            {
                while (channel.Reader.TryRead(out var chunk))
                {
                    foreach (var e in chunk)
                    {
                        yield return e;
                    }
                }
            }
        }
        finally
        {
            // The consumer may stop early; the reader must not outlive the enumeration nor keep its snapshot open.
            await stop.CancelAsync();
            try
            {
                await reading;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public Task ReplaceDirectoryAsync(IReadOnlyList<DirectoryRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var byPerson = new Dictionary<string, List<DirectoryRecord>>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            if (!byPerson.TryGetValue(record.Person, out var list))
            {
                byPerson[record.Person] = list = [];
            }

            // Overlapping records would make every later directory build throw, so they never get in.
            if (OrgDirectory.Validate(record, list) is { } reason)
            {
                throw new ArgumentException($"directory record rejected: {reason}", nameof(records));
            }

            list.Add(record);
        }

        if (byPerson.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync((connection, transaction) =>
        {
            // One scan of the stored directory instead of a query per person: an import or a full sync sends everyone,
            // and the directory grows with the company, not with history (100,000 people: 1.0 -> 0.2 s, docs/performance.md).
            var stored = new Dictionary<string, List<DirectoryRecord>>(StringComparer.Ordinal);
            using (var select = Command(connection, transaction, "SELECT person, department, level, from_day, to_day FROM directory;"))
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    var person = reader.GetString(0);
                    if (!byPerson.ContainsKey(person))
                    {
                        continue;
                    }

                    if (!stored.TryGetValue(person, out var list))
                    {
                        stored[person] = list = [];
                    }

                    list.Add(new DirectoryRecord(
                        person,
                        reader.GetString(1),
                        ParseLevel(reader.GetString(2)),
                        ParseDay(reader.GetString(3)),
                        reader.IsDBNull(4) ? null : ParseDay(reader.GetString(4))));
                }
            }

            using var delete = Command(connection, transaction, "DELETE FROM directory WHERE person = $person;");
            var deletePerson = delete.Parameters.Add("$person", SqliteType.Text);
            using var insert = Command(
                connection,
                transaction,
                "INSERT INTO directory (person, department, level, from_day, to_day) VALUES ($person, $department, $level, $from, $to);");
            var insertPerson = insert.Parameters.Add("$person", SqliteType.Text);
            var department = insert.Parameters.Add("$department", SqliteType.Text);
            var level = insert.Parameters.Add("$level", SqliteType.Text);
            var from = insert.Parameters.Add("$from", SqliteType.Text);
            var to = insert.Parameters.Add("$to", SqliteType.Text);
            var earliest = DateOnly.MaxValue;
            foreach (var (person, newRecords) in byPerson)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var oldRecords = stored.GetValueOrDefault(person) ?? [];

                // A directory sync re-sends everyone; a person whose history did not change must not dirty anything.
                if (SameHistory(oldRecords, newRecords))
                {
                    continue;
                }

                if (oldRecords.Count > 0)
                {
                    deletePerson.Value = person;
                    delete.ExecuteNonQuery();
                }

                foreach (var record in newRecords)
                {
                    insertPerson.Value = person;
                    department.Value = record.Department;
                    level.Value = Levels.Name(record.Level);
                    from.Value = FormatDay(record.From);
                    to.Value = record.To is { } end ? FormatDay(end) : DBNull.Value;
                    insert.ExecuteNonQuery();
                }

                foreach (var record in oldRecords.Concat(newRecords))
                {
                    earliest = record.From < earliest ? record.From : earliest;
                }
            }

            if (earliest != DateOnly.MaxValue)
            {
                MarkDirty(connection, transaction, EarliestInstantOf(earliest));
            }

            return 0;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<DirectoryRecord>> LoadDirectoryAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = Command(connection, null, "SELECT person, department, level, from_day, to_day FROM directory ORDER BY person, from_day;");
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<DirectoryRecord>();
        while (reader.Read())
        {
            records.Add(new DirectoryRecord(
                reader.GetString(0),
                reader.GetString(1),
                ParseLevel(reader.GetString(2)),
                ParseDay(reader.GetString(3)),
                reader.IsDBNull(4) ? null : ParseDay(reader.GetString(4))));
        }

        return records;
    }

    public Task ReplaceCoursesAsync(IReadOnlyList<Course> courses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(courses);

        // First occurrence wins, as in CourseCatalog, so the stored catalog is the one the KPIs were computed with.
        var catalog = new List<Course>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var course in courses)
        {
            ArgumentNullException.ThrowIfNull(course, nameof(courses));
            if (seen.Add(course.Id))
            {
                catalog.Add(course);
            }
        }

        return WriteAsync((connection, transaction) =>
        {
            var current = ReadCourses(connection, transaction);

            // Re-importing the same courses.csv must not trigger a recompute of all history.
            if (SameCatalog(current, catalog))
            {
                return 0;
            }

            using (var delete = Command(connection, transaction, "DELETE FROM courses;"))
            {
                delete.ExecuteNonQuery();
            }

            using (var insert = Command(connection, transaction, "INSERT INTO courses (ordinal, course, levels) VALUES ($ordinal, $course, $levels);"))
            {
                for (var i = 0; i < catalog.Count; i++)
                {
                    insert.Parameters.AddWithValue("$ordinal", i);
                    insert.Parameters.AddWithValue("$course", catalog[i].Id);
                    insert.Parameters.AddWithValue("$levels", string.Join(';', catalog[i].Levels.Distinct().Select(Levels.Name)));
                    insert.ExecuteNonQuery();
                    insert.Parameters.Clear();
                }
            }

            // Completion rates depend on the catalog on every day anyone is in scope or any completion happened.
            DateTimeOffset? from = EarliestEvent(connection, transaction);
            using (var firstDay = Command(connection, transaction, "SELECT MIN(from_day) FROM directory;"))
            {
                if (firstDay.ExecuteScalar() is string day)
                {
                    var dayStart = EarliestInstantOf(ParseDay(day));
                    from = from is null || dayStart < from ? dayStart : from;
                }
            }

            if (from is { } instant)
            {
                MarkDirty(connection, transaction, instant);
            }

            return 0;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<Course>> LoadCoursesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        return Task.FromResult<IReadOnlyList<Course>>(ReadCourses(connection, null));
    }

    public Task UpsertIdentitiesAsync(IReadOnlyList<IdentityLink> links, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (links.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync((connection, transaction) =>
        {
            using var select = Command(connection, transaction, "SELECT person FROM identities WHERE identity = $identity;");
            using var upsert = Command(
                connection,
                transaction,
                "INSERT INTO identities (identity, person) VALUES ($identity, $person) ON CONFLICT (identity) DO UPDATE SET person = excluded.person;");
            using var firstEvent = Command(
                connection,
                transaction,
                "SELECT first_ticks FROM person_first_event WHERE person = $identity;");
            var earliest = new Earliest();
            foreach (var link in links)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ArgumentNullException.ThrowIfNull(link, nameof(links));
                select.Parameters.AddWithValue("$identity", link.Identity);
                var current = select.ExecuteScalar() as string;
                select.Parameters.Clear();
                if (string.Equals(current, link.Person, StringComparison.Ordinal))
                {
                    continue;
                }

                upsert.Parameters.AddWithValue("$identity", link.Identity);
                upsert.Parameters.AddWithValue("$person", link.Person);
                upsert.ExecuteNonQuery();
                upsert.Parameters.Clear();

                firstEvent.Parameters.AddWithValue("$identity", link.Identity);
                if (firstEvent.ExecuteScalar() is long ticks)
                {
                    earliest.Add(new DateTimeOffset(ticks, TimeSpan.Zero));
                }

                firstEvent.Parameters.Clear();
            }

            if (earliest.Value is { } from)
            {
                MarkDirty(connection, transaction, from);
            }

            return 0;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<IdentityLink>> LoadIdentitiesAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = Command(connection, null, "SELECT identity, person FROM identities ORDER BY identity;");
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var links = new List<IdentityLink>();
        while (reader.Read())
        {
            links.Add(new IdentityLink(reader.GetString(0), reader.GetString(1)));
        }

        return links;
    }

    /// <summary>The earliest stored event, retractions and retracted events included: a conservative start for a recompute.</summary>
    public Task<DateTimeOffset?> EarliestEventTimeAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        return Task.FromResult(EarliestEvent(connection, null));
    }

    /// <summary>
    /// Walks the time-ordered primary key backwards until the source's newest event: recent events of every source
    /// interleave, so this stops after a few rows instead of scanning the source's history.
    /// </summary>
    public async Task<DateTimeOffset?> NewestEventTimeAsync(string source, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = Command(connection, null, "SELECT time_ticks FROM events WHERE source = $source ORDER BY time_ticks DESC LIMIT 1;");
        command.Parameters.AddWithValue("$source", source);
        return await command.ExecuteScalarAsync(cancellationToken) is long ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    }

    /// <summary>The number of stored keys (source, id), retractions and retracted events included.</summary>
    public async Task<long> CountEventsAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = Command(connection, null, "SELECT COUNT(*) FROM events;");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public Task MarkDirtyAsync(DateTimeOffset from, CancellationToken cancellationToken = default) =>
        WriteAsync((connection, transaction) =>
        {
            MarkDirty(connection, transaction, from);
            return 0;
        }, cancellationToken);

    public async Task<DirtyMark?> GetDirtyAsync(CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = Command(connection, null, "SELECT from_ticks, from_offset_minutes, generation FROM dirty WHERE id = 1;");
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!reader.Read() || reader.IsDBNull(0))
        {
            return null;
        }

        return new DirtyMark(ToInstant(reader.GetInt64(0), reader.GetInt32(1)), reader.GetInt64(2));
    }

    public Task ClearDirtyAsync(long generation, CancellationToken cancellationToken = default) =>
        WriteAsync((connection, transaction) =>
        {
            using var command = Command(
                connection,
                transaction,
                "UPDATE dirty SET from_ticks = NULL, from_offset_minutes = NULL WHERE id = 1 AND generation = $generation;");
            command.Parameters.AddWithValue("$generation", generation);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public Task<RecomputeClaim> BeginRecomputeAsync(DateTimeOffset from, CancellationToken cancellationToken = default) =>
        WriteAsync((connection, transaction) =>
        {
            var previous = ReadDirty(connection, transaction);
            using var command = Command(connection, transaction, """
                UPDATE dirty SET
                    from_offset_minutes = CASE WHEN from_ticks IS NULL OR $ticks < from_ticks THEN $offset ELSE from_offset_minutes END,
                    from_ticks = CASE WHEN from_ticks IS NULL OR $ticks < from_ticks THEN $ticks ELSE from_ticks END,
                    epoch = epoch + 1
                WHERE id = 1;
                """);
            command.Parameters.AddWithValue("$ticks", from.UtcTicks);
            command.Parameters.AddWithValue("$offset", OffsetMinutes(from));
            command.ExecuteNonQuery();
            return new RecomputeClaim(previous.From, previous.Generation, previous.Epoch + 1);
        }, cancellationToken);

    public Task<long> GetGenerationAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = Open();
        return Task.FromResult(ReadDirty(connection, null).Generation);
    }

    public Task<bool> FinishRecomputeAsync(RecomputeClaim claim, DateTimeOffset? restoreTo, CancellationToken cancellationToken = default) =>
        WriteAsync((connection, transaction) =>
        {
            using var command = Command(
                connection,
                transaction,
                "UPDATE dirty SET from_ticks = $ticks, from_offset_minutes = $offset WHERE id = 1 AND epoch = $epoch;");
            command.Parameters.AddWithValue("$ticks", restoreTo is { } t ? t.UtcTicks : DBNull.Value);
            command.Parameters.AddWithValue("$offset", restoreTo is { } o ? OffsetMinutes(o) : DBNull.Value);
            command.Parameters.AddWithValue("$epoch", claim.Epoch);
            return command.ExecuteNonQuery() == 1;
        }, cancellationToken);

    public Task CheckWritableAsync(CancellationToken cancellationToken = default) =>
        WriteAsync((connection, transaction) =>
        {
            // Room for 16 KiB more, committed (fsync): a no-op transaction would succeed on a full disk, and a one-row
            // update fits in a page that already exists. The row is gone again before the commit.
            using var command = Command(connection, transaction, """
                INSERT INTO state (key, value) VALUES ('journal.write_probe', zeroblob(16384))
                ON CONFLICT (key) DO UPDATE SET value = excluded.value;
                DELETE FROM state WHERE key = 'journal.write_probe';
                """);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    public async Task<string?> GetStateAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var connection = Open();
        using var command = Command(connection, null, "SELECT value FROM state WHERE key = $key;");
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public Task SetStateAsync(string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return WriteAsync((connection, transaction) =>
        {
            using var command = Command(
                connection,
                transaction,
                "INSERT INTO state (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value;");
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$value", value);
            return command.ExecuteNonQuery();
        }, cancellationToken);
    }

    /// <summary>Closes the idle pooled connections, so the file can be moved or deleted once the journal is gone.</summary>
    public void Dispose()
    {
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _writeLock.Dispose();
    }

    /// <summary>The earliest instant that falls on <paramref name="day"/> in any time zone (UTC+14 starts it first).</summary>
    internal static DateTimeOffset EarliestInstantOf(DateOnly day)
    {
        var offset = TimeSpan.FromHours(14);
        var local = day.ToDateTime(TimeOnly.MinValue);
        return local.Ticks - offset.Ticks < DateTime.MinValue.Ticks ? DateTimeOffset.MinValue : new DateTimeOffset(local, offset);
    }

    private static (AppendResult Result, Dictionary<string, long> FirstEvents) Append(
        SqliteConnection connection,
        SqliteTransaction transaction,
        IReadOnlyList<CanonicalEvent> events,
        Dictionary<string, long> firstEventWritten,
        CancellationToken cancellationToken)
    {
        events = InKeyOrder(events);
        using var rows = new EventRows(connection, transaction);
        var earliest = new Earliest();
        var firstByPerson = new Dictionary<string, long>(StringComparer.Ordinal);
        int inserted = 0, replaced = 0, unchanged = 0;
        foreach (var e in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ArgumentNullException.ThrowIfNull(e, nameof(events));
            var code = StoredEventTypes.ToCode(e.Type);

            // New keys are the common case of a large append: one statement, no read first.
            StoredRow? old = null;
            if (rows.InsertIfNew(e, code))
            {
                inserted++;
            }
            else
            {
                old = rows.Find(e.Source, e.Id) ?? throw new InvalidOperationException("an event key vanished inside its transaction");
                if (old.Value.SameContent(e, code))
                {
                    unchanged++;
                    continue;
                }

                rows.Update(e, code);
                earliest.Add(old.Value.Time);
                replaced++;
            }

            earliest.Add(e.Time);
            var ticks = e.Time.UtcTicks;
            if ((!firstEventWritten.TryGetValue(e.Person, out var known) || ticks < known)
                && (!firstByPerson.TryGetValue(e.Person, out var first) || ticks < first))
            {
                firstByPerson[e.Person] = ticks;
            }

            // A retraction changes what its target contributes, so the target's day is affected as well.
            var newTarget = code == StoredEventTypes.Retracted ? e.Subject : null;
            if (newTarget is not null && rows.Find(e.Source, newTarget) is { } target)
            {
                earliest.Add(target.Time);
                if (!target.Retracted)
                {
                    rows.SetRetracted(e.Source, newTarget, true);
                }
            }

            // A retraction replaced by something else releases its old target, unless another retraction still holds it.
            var oldTarget = old is { Code: StoredEventTypes.Retracted } o ? o.Subject : null;
            if (oldTarget is not null && !string.Equals(oldTarget, newTarget, StringComparison.Ordinal)
                && rows.Find(e.Source, oldTarget) is { } released)
            {
                earliest.Add(released.Time);
                rows.SetRetracted(e.Source, oldTarget, rows.IsRetracted(e.Source, oldTarget));
            }
        }

        foreach (var (person, ticks) in firstByPerson)
        {
            rows.NoteFirstEvent(person, ticks);
        }

        if (earliest.Value is { } from)
        {
            MarkDirty(connection, transaction, from);
        }

        return (new AppendResult(inserted, replaced, unchanged), firstByPerson);
    }

    /// <summary>
    /// The batch in the order of the events table's key (time, source, id), so its rows go into the time-clustered table
    /// page after page instead of all over the year. Only when no key occurs twice: then the outcome does not depend on
    /// the order (a retraction and its target find each other either way), while for a repeated key the later line must
    /// win, so such a batch keeps its order.
    /// </summary>
    private static IReadOnlyList<CanonicalEvent> InKeyOrder(IReadOnlyList<CanonicalEvent> events)
    {
        var sorted = events.ToArray();
        if (Array.IndexOf(sorted, null) >= 0)
        {
            return events; // the append rejects the batch at its null, as it would unsorted
        }

        Array.Sort(sorted, static (a, b) =>
        {
            var c = a.Time.UtcTicks.CompareTo(b.Time.UtcTicks);
            if (c == 0)
            {
                c = string.CompareOrdinal(a.Source, b.Source);
            }

            return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
        });
        var keys = new HashSet<(string, string)>(sorted.Length);
        foreach (var e in sorted)
        {
            if (!keys.Add((e.Source, e.Id)))
            {
                return events;
            }
        }

        return sorted;
    }

    private async Task ReadEventsAsync(
        ChannelWriter<ArraySegment<CanonicalEvent>> writer, DateTimeOffset fullHistoryBefore, DateTimeOffset end, CancellationToken cancellationToken)
    {
        try
        {
            // A connection of its own, opened without SQLite's per-call mutex: only this task uses it, and with tens of
            // millions of rows the mutex around every column read costs more than the scan. Not pooled: a stream is
            // long enough that opening a connection for it is noise.
            var rc = raw.sqlite3_open_v2(FilePath, out var db, raw.SQLITE_OPEN_READWRITE | raw.SQLITE_OPEN_NOMUTEX, null);
            using (db)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
                raw.sqlite3_busy_timeout(db, BusyTimeoutMilliseconds);
                rc = raw.sqlite3_prepare_v2(db, StreamSql, out var statement);
                SqliteException.ThrowExceptionForRC(rc, db);
                using (statement)
                {
                    raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, "$end"), end.UtcTicks);
                    raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, "$full"), fullHistoryBefore.UtcTicks);
                    raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, "$fullMask"), StoredEventTypes.FullHistoryMask);
                    await ReadRowsAsync(writer, db, statement, cancellationToken);
                }
            }

            writer.Complete();
        }
        catch (Exception ex)
        {
            writer.Complete(ex);
            throw;
        }
    }

    /// <summary>One statement is one read transaction: the stream sees one snapshot while appends go on in the WAL.</summary>
    private static async Task ReadRowsAsync(
        ChannelWriter<ArraySegment<CanonicalEvent>> writer, sqlite3 db, sqlite3_stmt statement, CancellationToken cancellationToken)
    {
        var handle = statement.DangerousGetHandle();
        var chunk = new CanonicalEvent[StreamChunkSize];
        var count = 0;
        // Rows in time order mostly repeat the previous row's source, and often its subject (a course) and attributes.
        var source = new NativeColumns.RepeatedText(0);
        var subject = new NativeColumns.RepeatedText(6);
        var attributes = new NativeColumns.RepeatedText(8);
        int rc;
        while ((rc = NativeColumns.Step(statement)) == raw.SQLITE_ROW)
        {
            chunk[count++] = new CanonicalEvent(
                source.Read(statement, handle),
                NativeColumns.Text(statement, handle, 1),
                StoredEventTypes.FromCode(NativeColumns.Int64(statement, handle, 2)),
                ToInstant(NativeColumns.Int64(statement, handle, 3), (int)NativeColumns.Int64(statement, handle, 4)),
                NativeColumns.Text(statement, handle, 5),
                NativeColumns.IsNull(statement, handle, 6) ? null : subject.Read(statement, handle),
                NativeColumns.Int64(statement, handle, 7) != 0,
                attributes.Read(statement, handle));
            if (count == chunk.Length)
            {
                await writer.WriteAsync(chunk, cancellationToken);
                chunk = new CanonicalEvent[StreamChunkSize];
                count = 0;
            }
        }

        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        if (count > 0)
        {
            await writer.WriteAsync(new ArraySegment<CanonicalEvent>(chunk, 0, count), cancellationToken);
        }
    }

    private static (DateTimeOffset? From, long Generation, long Epoch) ReadDirty(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = Command(connection, transaction, "SELECT from_ticks, from_offset_minutes, generation, epoch FROM dirty WHERE id = 1;");
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidDataException("the journal has lost its dirty row");
        }

        return (reader.IsDBNull(0) ? null : ToInstant(reader.GetInt64(0), reader.GetInt32(1)), reader.GetInt64(2), reader.GetInt64(3));
    }

    private static void MarkDirty(SqliteConnection connection, SqliteTransaction transaction, DateTimeOffset from)
    {
        // The right-hand sides read the row as it was before this update, so from_ticks is compared before it changes.
        using var command = Command(connection, transaction, """
            UPDATE dirty SET
                from_offset_minutes = CASE WHEN from_ticks IS NULL OR $ticks < from_ticks THEN $offset ELSE from_offset_minutes END,
                from_ticks = CASE WHEN from_ticks IS NULL OR $ticks < from_ticks THEN $ticks ELSE from_ticks END,
                generation = generation + 1,
                epoch = epoch + 1
            WHERE id = 1;
            """);
        command.Parameters.AddWithValue("$ticks", from.UtcTicks);
        command.Parameters.AddWithValue("$offset", OffsetMinutes(from));
        command.ExecuteNonQuery();
    }

    private static DateTimeOffset? EarliestEvent(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = Command(connection, transaction, "SELECT time_ticks, offset_minutes FROM events ORDER BY time_ticks LIMIT 1;");
        using var reader = command.ExecuteReader();
        return reader.Read() ? ToInstant(reader.GetInt64(0), reader.GetInt32(1)) : null;
    }

    private static List<Course> ReadCourses(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = Command(connection, transaction, "SELECT course, levels FROM courses ORDER BY ordinal;");
        using var reader = command.ExecuteReader();
        var courses = new List<Course>();
        while (reader.Read())
        {
            var levels = reader.GetString(1)
                .Split(';', StringSplitOptions.RemoveEmptyEntries)
                .Select(ParseLevel)
                .ToArray();
            courses.Add(new Course(reader.GetString(0), levels));
        }

        return courses;
    }

    private static bool SameCatalog(List<Course> current, List<Course> next)
    {
        if (current.Count != next.Count)
        {
            return false;
        }

        var levelsOf = current.ToDictionary(c => c.Id, c => c.Levels.ToHashSet(), StringComparer.Ordinal);
        return next.All(c => levelsOf.TryGetValue(c.Id, out var levels) && levels.SetEquals(c.Levels));
    }

    private static bool SameHistory(List<DirectoryRecord> current, List<DirectoryRecord> next) =>
        current.Count == next.Count
        && current.OrderBy(r => r.From).SequenceEqual(next.OrderBy(r => r.From));

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static DateTimeOffset ToInstant(long utcTicks, int offsetMinutes) =>
        new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));

    private static int OffsetMinutes(DateTimeOffset time) => (int)(time.Offset.Ticks / TimeSpan.TicksPerMinute);

    private static string FormatDay(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new InvalidDataException($"the journal holds a directory day '{text}' that is not yyyy-MM-dd");

    private static Level ParseLevel(string text) =>
        Levels.TryParse(text, out var level) ? level : throw new InvalidDataException($"the journal holds an unknown level '{text}'");

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = ConnectionPragmas + _sizeCapPragma;
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one IMMEDIATE transaction: the write lock is taken at BEGIN, so a transaction
    /// that read first can never fail to upgrade, and the data and its dirty mark commit together or not at all.
    /// </summary>
    private Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken) =>
        WriteAsync(work, result => result, cancellationToken);

    /// <summary><paramref name="committed"/> runs after the commit, still under the writer lock.</summary>
    private async Task<TResult> WriteAsync<T, TResult>(
        Func<SqliteConnection, SqliteTransaction, T> work, Func<T, TResult> committed, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            T result;
            using (var connection = Open())
            using (var transaction = connection.BeginTransaction(deferred: false))
            {
                result = work(connection, transaction);
                transaction.Commit();
            }

            return committed(result);
        }
        catch (SqliteException ex) when (Unwritable(ex) is { } reason)
        {
            throw new JournalUnwritableException(reason, ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>The SQLite result codes that mean "no room" or "no writing here", as a reason without paths.</summary>
    private static string? Unwritable(SqliteException ex) => (ex.SqliteErrorCode & 0xFF) switch
    {
        raw.SQLITE_FULL => "disk full",
        raw.SQLITE_READONLY => "read-only",
        raw.SQLITE_IOERR => "I/O error",
        _ => null,
    };

    /// <summary>Tracks the earliest of several instants, keeping the offset of the one that wins.</summary>
    private struct Earliest
    {
        public DateTimeOffset? Value { get; private set; }

        public void Add(DateTimeOffset time)
        {
            if (Value is null || time.UtcTicks < Value.Value.UtcTicks)
            {
                Value = time;
            }
        }
    }

    private readonly record struct StoredRow(
        int Code, DateTimeOffset Time, string Person, string? Subject, bool AiAssisted, string Attributes, bool Retracted)
    {
        public bool SameContent(CanonicalEvent e, int code) =>
            Code == code
            && Time.UtcTicks == e.Time.UtcTicks
            && Time.Offset == e.Time.Offset
            && AiAssisted == e.AiAssisted
            && string.Equals(Person, e.Person, StringComparison.Ordinal)
            && string.Equals(Subject, e.Subject, StringComparison.Ordinal)
            && string.Equals(Attributes, e.AttributesJson, StringComparison.Ordinal);
    }

    /// <summary>The commands of one append, prepared once and reused for every event of the batch.</summary>
    private sealed class EventRows : IDisposable
    {
        // Whether a retraction of the same source names this id; type = 14 is a literal so the planner uses the
        // partial index events_retraction_target.
        private const string IsRetractedSql = "EXISTS (SELECT 1 FROM events WHERE type = 14 AND source = $source AND subject = $id)";

        private readonly SqliteCommand _find;
        private readonly RawInsert _insert;
        private readonly SqliteCommand _update;
        private readonly SqliteCommand _isRetracted;
        private readonly SqliteCommand _setRetracted;
        private readonly SqliteCommand _firstEvent;

        public EventRows(SqliteConnection connection, SqliteTransaction transaction)
        {
            _find = Command(connection, transaction, """
                SELECT type, time_ticks, offset_minutes, person, subject, ai_assisted, attributes, retracted
                FROM events WHERE source = $source AND id = $id;
                """);
            AddParameters(_find, ("$source", SqliteType.Text), ("$id", SqliteType.Text));

            // DO NOTHING on the (source, id) conflict: an existing key is then read and compared by the caller.
            _insert = new RawInsert(connection, $"""
                INSERT INTO events (time_ticks, source, id, type, offset_minutes, person, subject, ai_assisted, attributes, retracted)
                VALUES ($time, $source, $id, $type, $offset, $person, $subject, $ai, $attributes, {IsRetractedSql})
                ON CONFLICT DO NOTHING;
                """);

            _update = Command(connection, transaction, $"""
                UPDATE events SET time_ticks = $time, type = $type, offset_minutes = $offset, person = $person,
                    subject = $subject, ai_assisted = $ai, attributes = $attributes, retracted = {IsRetractedSql}
                WHERE source = $source AND id = $id;
                """);
            AddEventParameters(_update);

            _isRetracted = Command(connection, transaction, $"SELECT {IsRetractedSql};");
            AddParameters(_isRetracted, ("$source", SqliteType.Text), ("$id", SqliteType.Text));

            _setRetracted = Command(connection, transaction, "UPDATE events SET retracted = $retracted WHERE source = $source AND id = $id;");
            AddParameters(_setRetracted, ("$source", SqliteType.Text), ("$id", SqliteType.Text), ("$retracted", SqliteType.Integer));

            _firstEvent = Command(connection, transaction, """
                INSERT INTO person_first_event (person, first_ticks) VALUES ($person, $ticks)
                ON CONFLICT (person) DO UPDATE SET first_ticks = excluded.first_ticks WHERE excluded.first_ticks < first_ticks;
                """);
            AddParameters(_firstEvent, ("$person", SqliteType.Text), ("$ticks", SqliteType.Integer));
        }

        public StoredRow? Find(string source, string id)
        {
            _find.Parameters[0].Value = source;
            _find.Parameters[1].Value = id;
            using var reader = _find.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            return new StoredRow(
                reader.GetInt32(0),
                ToInstant(reader.GetInt64(1), reader.GetInt32(2)),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetInt64(5) != 0,
                reader.GetString(6),
                reader.GetInt64(7) != 0);
        }

        public bool IsRetracted(string source, string id)
        {
            _isRetracted.Parameters[0].Value = source;
            _isRetracted.Parameters[1].Value = id;
            return (long)_isRetracted.ExecuteScalar()! != 0;
        }

        public void SetRetracted(string source, string id, bool retracted)
        {
            _setRetracted.Parameters[0].Value = source;
            _setRetracted.Parameters[1].Value = id;
            _setRetracted.Parameters[2].Value = retracted ? 1 : 0;
            _setRetracted.ExecuteNonQuery();
        }

        /// <summary>Inserts the event unless its key exists; true when it was inserted.</summary>
        public bool InsertIfNew(CanonicalEvent e, int code) => _insert.Run(e, code);

        public void Update(CanonicalEvent e, int code) => Write(_update, e, code);

        public void NoteFirstEvent(string person, long ticks)
        {
            _firstEvent.Parameters[0].Value = person;
            _firstEvent.Parameters[1].Value = ticks;
            _firstEvent.ExecuteNonQuery();
        }

        public void Dispose()
        {
            _find.Dispose();
            _insert.Dispose();
            _update.Dispose();
            _isRetracted.Dispose();
            _setRetracted.Dispose();
            _firstEvent.Dispose();
        }

        private static void AddParameters(SqliteCommand command, params (string Name, SqliteType Type)[] parameters)
        {
            foreach (var (name, type) in parameters)
            {
                command.Parameters.Add(name, type);
            }
        }

        private static void AddEventParameters(SqliteCommand command) => AddParameters(
            command,
            ("$time", SqliteType.Integer),
            ("$source", SqliteType.Text),
            ("$id", SqliteType.Text),
            ("$type", SqliteType.Integer),
            ("$offset", SqliteType.Integer),
            ("$person", SqliteType.Text),
            ("$subject", SqliteType.Text),
            ("$ai", SqliteType.Integer),
            ("$attributes", SqliteType.Text));

        /// <summary>
        /// The insert, the statement every new event runs, bound through SQLitePCL directly on the transaction's
        /// connection: Microsoft.Data.Sqlite's parameter handling (type inference and a value check per parameter per
        /// row) was about a fifth of the append's statement time. Parameters are bound by position, in the order of
        /// <see cref="AddEventParameters"/>.
        /// </summary>
        internal sealed class RawInsert : IDisposable
        {
            private readonly sqlite3 _db;
            private readonly sqlite3_stmt _statement;

            public RawInsert(SqliteConnection connection, string sql)
            {
                _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
                var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
                SqliteException.ThrowExceptionForRC(rc, _db);
                if (raw.sqlite3_bind_parameter_count(_statement) != 9 || raw.sqlite3_bind_parameter_index(_statement, "$attributes") != 9)
                {
                    throw new InvalidOperationException("the insert's parameters are not the nine event columns in order");
                }
            }

            /// <summary>Inserts the event unless its key exists; true when it was inserted.</summary>
            public bool Run(CanonicalEvent e, int code)
            {
                try
                {
                    Check(raw.sqlite3_bind_int64(_statement, 1, e.Time.UtcTicks));
                    Check(raw.sqlite3_bind_text(_statement, 2, e.Source));
                    Check(raw.sqlite3_bind_text(_statement, 3, e.Id));
                    Check(raw.sqlite3_bind_int(_statement, 4, code));
                    Check(raw.sqlite3_bind_int(_statement, 5, OffsetMinutes(e.Time)));
                    Check(raw.sqlite3_bind_text(_statement, 6, e.Person));
                    Check(e.Subject is { } subject ? raw.sqlite3_bind_text(_statement, 7, subject) : raw.sqlite3_bind_null(_statement, 7));
                    Check(raw.sqlite3_bind_int(_statement, 8, e.AiAssisted ? 1 : 0));
                    Check(raw.sqlite3_bind_text(_statement, 9, e.AttributesJson));
                    var rc = raw.sqlite3_step(_statement);
                    if (rc != raw.SQLITE_DONE)
                    {
                        SqliteException.ThrowExceptionForRC(rc, _db);
                    }

                    return raw.sqlite3_changes(_db) == 1;
                }
                finally
                {
                    raw.sqlite3_reset(_statement);
                }
            }

            public void Dispose() => _statement.Dispose();

            private void Check(int rc)
            {
                if (rc != raw.SQLITE_OK)
                {
                    SqliteException.ThrowExceptionForRC(rc, _db);
                }
            }
        }

        private static int Write(SqliteCommand command, CanonicalEvent e, int code)
        {
            var p = command.Parameters;
            p[0].Value = e.Time.UtcTicks;
            p[1].Value = e.Source;
            p[2].Value = e.Id;
            p[3].Value = code;
            p[4].Value = OffsetMinutes(e.Time);
            p[5].Value = e.Person;
            p[6].Value = (object?)e.Subject ?? DBNull.Value;
            p[7].Value = e.AiAssisted ? 1 : 0;
            p[8].Value = e.AttributesJson;
            return command.ExecuteNonQuery();
        }
    }
}
