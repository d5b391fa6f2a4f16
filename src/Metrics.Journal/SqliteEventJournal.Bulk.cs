using System.Runtime.InteropServices;
using Metrics.Core.Events;
using Metrics.Core.Ports;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Metrics.Journal;

/// <summary>
/// The bulk path of a large import: events are staged in arrival order in a temporary table of the import's own
/// connection (sequential writes, no index), then merged into the events table in one transaction, set-based and in the
/// table's key order, with exactly the outcome of appending the batches one after the other on the row path.
/// </summary>
/// <remarks>
/// Durability: the staging table lives in SQLite's temporary file (under TMPDIR), which the operating system discards
/// with the process. Nothing of the import is in the journal, nor reported stored, before the merge commits (one
/// transaction, synchronous = FULL); a crash before that leaves the journal as it was and the import is run again, a
/// crash after it leaves the whole import stored. Either way nothing accepted is counted twice.
/// </remarks>
public sealed partial class SqliteEventJournal
{
    /// <summary>
    /// The merge rebuilds the (source, id) index by sorting instead of inserting into it row by row when at least this
    /// share of the events table's rows after the merge is new: random inserts into a large index cost a page each.
    /// </summary>
    private const double RebuildIndexShare = 0.5;

    /// <summary>
    /// How many distinct people the staging tracks the earliest time of in memory (about 64 bytes each with the key).
    /// Beyond it, a hostile or huge file of people, person_first_event is computed by a GROUP BY over the staged lines
    /// instead, which costs about 1.3 s a million lines at the end of the merge (docs/performance.md).
    /// </summary>
    internal int BulkTrackedPeople { get; set; } = 500_000;

    /// <summary>
    /// Each staged line in (source, id, arrival) order with the arrival number of its key's previous line (null for
    /// the first) and the stored row of its key. Only the columns the pass needs go through the sort; a line's full
    /// content is compared with the stored row's in the last column, and by <see cref="SameAsPreviousSql"/> with its
    /// previous line's when it has one.
    /// </summary>
    private const string WalkSql = $"""
        SELECT w.time_ticks, w.offset_minutes, w.type, w.is_last, w.prev_seq,
               a.time_ticks, a.offset_minutes, a.type, a.subject,
               w.seq, w.source, w.subject,
               CASE WHEN a.id IS NULL THEN 0 ELSE (SELECT {SameContent} FROM temp.import_lines AS b WHERE b.seq = w.seq) END
        FROM (
            SELECT seq, source, id, type, time_ticks, offset_minutes, subject,
                lead(seq) OVER k IS NULL AS is_last, lag(seq) OVER k AS prev_seq
            FROM temp.import_lines
            WINDOW k AS (PARTITION BY source, id ORDER BY seq)
        ) AS w
        LEFT JOIN main.events AS a ON a.source = w.source AND a.id = w.id;
        """;

    /// <summary>The content the row path compares (<c>StoredRow.SameContent</c>): everything but the key and the retracted flag.</summary>
    private const string SameContent = """
        (a.type IS b.type AND a.time_ticks IS b.time_ticks AND a.offset_minutes IS b.offset_minutes AND a.person IS b.person
         AND a.subject IS b.subject AND a.ai_assisted IS b.ai_assisted AND a.attributes IS b.attributes)
        """;

    private const string SameAsPreviousSql =
        $"SELECT a.time_ticks, a.offset_minutes, a.type, a.subject, {SameContent} FROM temp.import_lines AS a, temp.import_lines AS b WHERE a.seq = $prev AND b.seq = $seq;";

    /// <summary>
    /// A single batch takes the row path (pushes, small files); two or more are staged and merged in one transaction.
    /// </summary>
    public async Task<AppendResult> AppendManyAsync(IAsyncEnumerable<IReadOnlyList<CanonicalEvent>> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        await using var batch = batches.GetAsyncEnumerator(cancellationToken);
        if (!await batch.MoveNextAsync())
        {
            return default;
        }

        var first = batch.Current;
        if (!await batch.MoveNextAsync())
        {
            return await AppendAsync(first, cancellationToken);
        }

        // A connection of its own, not pooled: the staging tables live and die with it.
        using var connection = OpenUnpooled();
        using var staging = new Staging(connection, BulkTrackedPeople);
        try
        {
            staging.Add(first, cancellationToken);
            do
            {
                staging.Add(batch.Current, cancellationToken);
            }
            while (await batch.MoveNextAsync());
        }
        catch (SqliteException ex) when (Unwritable(ex) is { } reason)
        {
            // The temporary file is full (TMPDIR) or cannot be written: reported like a journal that cannot take the import.
            throw new JournalUnwritableException(reason, ex);
        }

        return await WriteOnAsync(connection, transaction => Merge(connection, transaction, staging, cancellationToken), cancellationToken);
    }

    private SqliteConnection OpenUnpooled()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_connectionString) { Pooling = false }.ToString());
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            // The staging tables go to SQLite's temporary file, which is unlinked as soon as it is created.
            pragmas.CommandText = ConnectionPragmas + _sizeCapPragma + " PRAGMA temp_store = FILE; PRAGMA temp.cache_size = -65536;";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Runs <paramref name="work"/> in one IMMEDIATE transaction on <paramref name="connection"/>, under the writer lock.</summary>
    private async Task<T> WriteOnAsync<T>(SqliteConnection connection, Func<SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = work(transaction);
            transaction.Commit();
            return result;
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

    /// <summary>
    /// Merges the staged lines with the outcome of appending them batch after batch on the row path: the counts, the
    /// dirty instant, the final content of every key (its last line), retracted flags and person_first_event.
    /// </summary>
    private static AppendResult Merge(SqliteConnection connection, SqliteTransaction transaction, Staging staging, CancellationToken cancellationToken)
    {
        var storedRows = Count(connection, transaction, "SELECT COUNT(*) FROM main.events;");
        AppendResult result;
        Earliest earliest;
        var released = new HashSet<(string Source, string Id)>();
        if (!AnyOfFirstStored(connection, transaction)
            && TryInsertAllNew(connection, transaction, staging.Count >= RebuildIndexShare * (storedRows + staging.Count)) is { } allNew)
        {
            result = new AppendResult(checked((int)staging.Count), 0, 0);
            earliest = allNew;
        }
        else
        {
            (result, earliest, var written) = Walk(connection, transaction, released, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            Execute(connection, transaction, """
                DELETE FROM main.events WHERE (source, id) IN (
                    SELECT l.source, l.id FROM temp.import_replace AS r JOIN temp.import_lines AS l ON l.seq = r.seq);
                """);
            InsertStaged(connection, transaction, written > 0 && written >= RebuildIndexShare * (storedRows + written), "WHERE seq NOT IN (SELECT seq FROM temp.import_skip)");
        }

        cancellationToken.ThrowIfCancellationRequested();

        // retracted as the row path keeps it: 1 exactly while a retraction of the same source names the id. Every
        // target of a stored retraction (old or new) is set; a target whose retraction was replaced is computed again.
        Execute(connection, transaction, """
            UPDATE main.events SET retracted = 1
            WHERE retracted = 0 AND (source, id) IN (SELECT source, subject FROM main.events WHERE type = 14);
            """);
        ExecuteForEach(
            connection,
            transaction,
            """
            UPDATE main.events SET retracted = EXISTS (SELECT 1 FROM main.events WHERE type = 14 AND source = $a AND subject = $b)
            WHERE source = $a AND id = $b;
            """,
            released.Select(key => ((object)key.Source, (object)key.Id)));


        // Every staged line's person and time: a line the row path would skip as unchanged repeats a stored or earlier
        // line whose time is already at or after the person's first event, so the minimum is the same.
        if (staging.FirstTicks is { } firstTicks)
        {
            UpsertFirstTicks(connection, firstTicks, cancellationToken);
        }
        else
        {
            Execute(connection, transaction, """
                INSERT INTO main.person_first_event (person, first_ticks)
                SELECT person, MIN(time_ticks) FROM temp.import_lines WHERE true GROUP BY person
                ON CONFLICT (person) DO UPDATE SET first_ticks = excluded.first_ticks WHERE excluded.first_ticks < first_ticks;
                """);
        }

        if (earliest.Value is { } from)
        {
            MarkDirty(connection, transaction, from);
        }

        return result;
    }

    /// <summary>
    /// Whether one of the first staged lines has a stored key (a file imported again, an export that overlaps the last):
    /// then the insert of new keys only would sort everything to fail on its first row, and the full pass is taken at once.
    /// </summary>
    private static bool AnyOfFirstStored(SqliteConnection connection, SqliteTransaction transaction) => Count(connection, transaction, """
        SELECT EXISTS (SELECT 1 FROM (SELECT source, id FROM temp.import_lines ORDER BY seq LIMIT 1000) AS l
                       JOIN main.events AS e ON e.source = l.source AND e.id = l.id);
        """) != 0;

    /// <summary>
    /// The common large import, tried first under a savepoint: no key twice and none stored. Then every line is
    /// inserted, and the dirty instant is the earliest line or stored retraction target. A repeated or stored key fails
    /// the insert (or the index build) on its uniqueness, the savepoint is rolled back and the full pass decides.
    /// </summary>
    private static Earliest? TryInsertAllNew(SqliteConnection connection, SqliteTransaction transaction, bool rebuild)
    {
        transaction.Save("all_new");
        try
        {
            InsertStaged(connection, transaction, rebuild, string.Empty);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == raw.SQLITE_CONSTRAINT)
        {
            transaction.Rollback("all_new");
            transaction.Release("all_new");
            return null;
        }

        transaction.Release("all_new");
        var earliest = new Earliest();
        // A target stored before the import or inserted by it: the latter is one of the lines, so the minimum holds.
        foreach (var sql in new[]
        {
            "SELECT time_ticks, offset_minutes FROM temp.import_lines ORDER BY time_ticks LIMIT 1;",
            """
            SELECT e.time_ticks, e.offset_minutes FROM temp.import_lines AS l JOIN main.events AS e ON e.source = l.source AND e.id = l.subject
            WHERE l.type = 14 ORDER BY e.time_ticks LIMIT 1;
            """,
        })
        {
            using var command = Command(connection, transaction, sql);
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                earliest.Add(ToInstant(reader.GetInt64(0), reader.GetInt32(1)));
            }
        }

        return earliest;
    }

    /// <summary>
    /// Inserts the staged lines <paramref name="where"/> selects in the table's key order, so the time-clustered B-tree
    /// is written page after page; retracted is set afterwards. With <paramref name="rebuild"/>, many new rows in a
    /// small table, the (source, id) index is built again by one sort instead of a random insert per row.
    /// </summary>
    private static void InsertStaged(SqliteConnection connection, SqliteTransaction transaction, bool rebuild, string where)
    {
        if (rebuild)
        {
            Execute(connection, transaction, "DROP INDEX main.events_key;");
        }

        Execute(connection, transaction, $"""
            INSERT INTO main.events (time_ticks, source, id, type, offset_minutes, person, subject, ai_assisted, attributes, retracted)
            SELECT time_ticks, source, id, type, offset_minutes, person, subject, ai_assisted, attributes, 0
            FROM temp.import_lines {where}
            ORDER BY time_ticks, source, id;
            """);
        if (rebuild)
        {
            // The same definition as the schema's (JournalSchema, step 1).
            Execute(connection, transaction, "CREATE UNIQUE INDEX main.events_key ON events (source, id);");
        }
    }

    /// <summary>
    /// One pass over the staged lines in (source, id, arrival) order, each next to the stored row of its key, decides
    /// what the row path would have done line by line: the counts, the dirty instants, which line is the key's final
    /// content (the others go to import_skip) and which stored rows it replaces (import_replace).
    /// </summary>
    private static (AppendResult Result, Earliest Earliest, int Written) Walk(
        SqliteConnection connection, SqliteTransaction transaction, HashSet<(string Source, string Id)> released, CancellationToken cancellationToken)
    {
        var earliest = new Earliest();
        int inserted = 0, replaced = 0, unchanged = 0, written = 0;
        using (var skip = new SeqInsert(connection, "INSERT INTO temp.import_skip (seq) VALUES (?1);"))
        using (var replace = new SeqInsert(connection, "INSERT INTO temp.import_replace (seq) VALUES (?1);"))
        using (var storedTime = Command(connection, transaction, "SELECT time_ticks, offset_minutes FROM main.events WHERE source = $source AND id = $id;"))
        using (var sameAsPrevious = Command(connection, transaction, SameAsPreviousSql))
        {
            storedTime.Parameters.Add("$source", SqliteType.Text);
            storedTime.Parameters.Add("$id", SqliteType.Text);
            sameAsPrevious.Parameters.Add("$prev", SqliteType.Integer);
            sameAsPrevious.Parameters.Add("$seq", SqliteType.Integer);

            // The time of a key as stored before the import: a retraction's target or a released target that exists
            // only in the import was inserted by it, and its time counts then, as on the row path.
            void AddStoredTime(string source, string id)
            {
                storedTime.Parameters[0].Value = source;
                storedTime.Parameters[1].Value = id;
                using var reader = storedTime.ExecuteReader();
                if (reader.Read())
                {
                    earliest.Add(ToInstant(reader.GetInt64(0), reader.GetInt32(1)));
                }
            }

            var db = connection.Handle!;
            var rc = raw.sqlite3_prepare_v2(db, WalkSql, out var walk);
            SqliteException.ThrowExceptionForRC(rc, db);
            using (walk)
            {
                var h = walk.DangerousGetHandle();
                var rows = 0L;
                while ((rc = NativeColumns.Step(walk)) == raw.SQLITE_ROW)
                {
                    if (++rows % 65_536 == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    var hasPrev = !NativeColumns.IsNull(walk, h, 4);
                    var stored = !NativeColumns.IsNull(walk, h, 5);
                    var isLast = NativeColumns.Int64(walk, h, 3) != 0;
                    var code = (int)NativeColumns.Int64(walk, h, 2);
                    var seq = NativeColumns.Int64(walk, h, 9);
                    var sameAsStored = NativeColumns.Int64(walk, h, 12) != 0;

                    // The predecessor is the key's previous line in this import, else its stored row.
                    var same = false;
                    DateTimeOffset? predecessorTime = null;
                    var predecessorRetraction = false;
                    string? predecessorSubject = null;
                    if (hasPrev)
                    {
                        sameAsPrevious.Parameters[0].Value = NativeColumns.Int64(walk, h, 4);
                        sameAsPrevious.Parameters[1].Value = seq;
                        using var previous = sameAsPrevious.ExecuteReader();
                        previous.Read();
                        predecessorTime = ToInstant(previous.GetInt64(0), previous.GetInt32(1));
                        predecessorRetraction = previous.GetInt64(2) == StoredEventTypes.Retracted;
                        predecessorSubject = previous.IsDBNull(3) ? null : previous.GetString(3);
                        same = previous.GetInt64(4) != 0;
                    }
                    else if (stored)
                    {
                        same = sameAsStored;
                        predecessorTime = ToInstant(NativeColumns.Int64(walk, h, 5), (int)NativeColumns.Int64(walk, h, 6));
                        predecessorRetraction = NativeColumns.Int64(walk, h, 7) == StoredEventTypes.Retracted;
                        predecessorSubject = NativeColumns.IsNull(walk, h, 8) ? null : NativeColumns.Text(walk, h, 8);
                    }

                    if (predecessorTime is null)
                    {
                        inserted++;
                    }
                    else if (same)
                    {
                        unchanged++;
                    }
                    else
                    {
                        replaced++;
                    }

                    if (!same)
                    {
                        earliest.Add(ToInstant(NativeColumns.Int64(walk, h, 0), (int)NativeColumns.Int64(walk, h, 1)));
                        if (predecessorTime is { } old)
                        {
                            earliest.Add(old);
                        }

                        string? source = null;
                        var newTarget = code == StoredEventTypes.Retracted && !NativeColumns.IsNull(walk, h, 11) ? NativeColumns.Text(walk, h, 11) : null;
                        if (newTarget is not null)
                        {
                            source = NativeColumns.Text(walk, h, 10);
                            AddStoredTime(source, newTarget);
                        }

                        var oldTarget = predecessorRetraction ? predecessorSubject : null;
                        if (oldTarget is not null && !string.Equals(oldTarget, newTarget, StringComparison.Ordinal))
                        {
                            source ??= NativeColumns.Text(walk, h, 10);
                            AddStoredTime(source, oldTarget);
                            released.Add((source, oldTarget));
                        }
                    }

                    // Only a key's last line is stored, and only when it differs from the stored row.
                    if (!isLast || sameAsStored)
                    {
                        skip.Run(seq);
                    }
                    else
                    {
                        written++;
                        if (stored)
                        {
                            replace.Run(seq);
                        }
                    }
                }

                if (rc != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(rc, db);
                }
            }
        }

        return (new AppendResult(inserted, replaced, unchanged), earliest, written);
    }

    /// <summary>
    /// The staging's earliest time of each person, upserted in key order so the WITHOUT ROWID table is walked page after
    /// page. Bound through SQLitePCL directly: one statement per person of the import.
    /// </summary>
    private static void UpsertFirstTicks(SqliteConnection connection, Dictionary<string, long> firstTicks, CancellationToken cancellationToken)
    {
        var people = firstTicks.Keys.ToArray();
        Array.Sort(people, StringComparer.Ordinal);
        var db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, """
            INSERT INTO main.person_first_event (person, first_ticks) VALUES (?1, ?2)
            ON CONFLICT (person) DO UPDATE SET first_ticks = excluded.first_ticks WHERE excluded.first_ticks < first_ticks;
            """, out var upsert), db);
        using (upsert)
        {
            for (var i = 0; i < people.Length; i++)
            {
                if (i % 65_536 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                try
                {
                    SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text(upsert, 1, people[i]), db);
                    SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(upsert, 2, firstTicks[people[i]]), db);
                    var rc = raw.sqlite3_step(upsert);
                    if (rc != raw.SQLITE_DONE)
                    {
                        SqliteException.ThrowExceptionForRC(rc, db);
                    }
                }
                finally
                {
                    raw.sqlite3_reset(upsert);
                }
            }
        }
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        command.ExecuteNonQuery();
    }

    /// <summary>Runs <paramref name="sql"/> with parameters $a and $b once for each pair.</summary>
    private static void ExecuteForEach(SqliteConnection connection, SqliteTransaction transaction, string sql, IEnumerable<(object A, object B)> rows)
    {
        using var command = Command(connection, transaction, sql);
        // Typed by each value: a text key and an integer time bind as what they are.
        var a = command.Parameters.AddWithValue("$a", DBNull.Value);
        var b = command.Parameters.AddWithValue("$b", DBNull.Value);
        foreach (var row in rows)
        {
            a.Value = row.A;
            b.Value = row.B;
            command.ExecuteNonQuery();
        }
    }

    private static long Count(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = Command(connection, transaction, sql);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>An insert of one integer bound through SQLitePCL directly: the full pass runs one for almost every line.</summary>
    private sealed class SeqInsert : IDisposable
    {
        private readonly sqlite3 _db;
        private readonly sqlite3_stmt _statement;

        public SeqInsert(SqliteConnection connection, string sql)
        {
            _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
            SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_db, sql, out _statement), _db);
        }

        public void Run(long value)
        {
            try
            {
                SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(_statement, 1, value), _db);
                var rc = raw.sqlite3_step(_statement);
                if (rc != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(rc, _db);
                }
            }
            finally
            {
                raw.sqlite3_reset(_statement);
            }
        }

        public void Dispose() => _statement.Dispose();
    }

    /// <summary>The import's staging tables on its own connection: lines in arrival order and the merge's decisions.</summary>
    private sealed class Staging : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly EventRows.RawInsert _insert;
        private readonly int _trackedPeople;

        /// <summary>Lines staged so far.</summary>
        public long Count { get; private set; }

        /// <summary>
        /// Each staged person's earliest time, gathered here on the staging thread (which runs beside the import's
        /// parser) instead of by a sort at the end of the merge; null once the import names more people than tracked.
        /// </summary>
        public Dictionary<string, long>? FirstTicks { get; private set; } = new(StringComparer.Ordinal);

        public Staging(SqliteConnection connection, int trackedPeople)
        {
            _connection = connection;
            _trackedPeople = trackedPeople;
            using (var create = connection.CreateCommand())
            {
                // seq is the rowid: the arrival order that decides which line of a repeated key wins.
                create.CommandText = """
                    CREATE TEMP TABLE import_lines (
                        seq INTEGER PRIMARY KEY,
                        time_ticks INTEGER NOT NULL, source TEXT NOT NULL, id TEXT NOT NULL, type INTEGER NOT NULL,
                        offset_minutes INTEGER NOT NULL, person TEXT NOT NULL, subject TEXT, ai_assisted INTEGER NOT NULL,
                        attributes TEXT NOT NULL);
                    CREATE TEMP TABLE import_skip (seq INTEGER PRIMARY KEY);
                    CREATE TEMP TABLE import_replace (seq INTEGER PRIMARY KEY);
                    """;
                create.ExecuteNonQuery();
            }

            _insert = new EventRows.RawInsert(connection, """
                INSERT INTO temp.import_lines (time_ticks, source, id, type, offset_minutes, person, subject, ai_assisted, attributes)
                VALUES ($time, $source, $id, $type, $offset, $person, $subject, $ai, $attributes);
                """);
        }

        /// <summary>Stages one batch in a transaction of the temporary database only: the journal's write lock is not taken.</summary>
        public void Add(IReadOnlyList<CanonicalEvent> events, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(events);
            cancellationToken.ThrowIfCancellationRequested();
            using var transaction = _connection.BeginTransaction();
            foreach (var e in events)
            {
                ArgumentNullException.ThrowIfNull(e, nameof(events));
                _insert.Run(e, StoredEventTypes.ToCode(e.Type));
                Count++;
                if (FirstTicks is { } first)
                {
                    ref var ticks = ref CollectionsMarshal.GetValueRefOrAddDefault(first, e.Person, out var known);
                    if (!known || e.Time.UtcTicks < ticks)
                    {
                        ticks = e.Time.UtcTicks;
                    }

                    if (first.Count > _trackedPeople)
                    {
                        FirstTicks = null;
                    }
                }
            }

            transaction.Commit();
        }

        public void Dispose() => _insert.Dispose();
    }
}
