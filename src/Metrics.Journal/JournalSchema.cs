using Microsoft.Data.Sqlite;

namespace Metrics.Journal;

/// <summary>Creates the journal's tables and migrates older files forward, one numbered step at a time.</summary>
internal static class JournalSchema
{
    /// <summary>Step i brings a file from version i to i + 1. Steps are appended, never edited, once released.</summary>
    private static readonly string[] Migrations =
    [
        """
        -- Rows are clustered by time so that a recompute reads history as one sequential scan, never a lookup per row;
        -- (source, id), the dedupe key, is a unique secondary index. time_ticks is the UTC instant in .NET ticks and
        -- offset_minutes the offset the event was reported in. type is a StoredEventTypes code. retracted is 1 while
        -- an event.retracted of the same source names this id; it is maintained on append so the stream filters it
        -- without a subquery per row.
        CREATE TABLE events (
            time_ticks INTEGER NOT NULL,
            source TEXT NOT NULL,
            id TEXT NOT NULL,
            type INTEGER NOT NULL,
            offset_minutes INTEGER NOT NULL,
            person TEXT NOT NULL,
            subject TEXT,
            ai_assisted INTEGER NOT NULL,
            attributes TEXT NOT NULL,
            retracted INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (time_ticks, source, id)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX events_key ON events (source, id);
        -- 14 is StoredEventTypes.Retracted; a partial index needs the literal, and queries repeat it to use the index.
        CREATE INDEX events_retraction_target ON events (source, subject) WHERE type = 14;

        -- The earliest event time of each person value, so an identity link can find the first day it resolves without
        -- an index over all events by person: this table grows with the company, not with history, stays in cache, and
        -- keeps large appends fast. It only ever moves earlier (a replaced event leaves its old value), which can mark
        -- more days dirty than needed but never fewer.
        CREATE TABLE person_first_event (
            person TEXT NOT NULL PRIMARY KEY,
            first_ticks INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- Effective-dated records; days are ISO yyyy-MM-dd text, to_day NULL when open, level its lowercase name.
        CREATE TABLE directory (
            person TEXT NOT NULL,
            department TEXT NOT NULL,
            level TEXT NOT NULL,
            from_day TEXT NOT NULL,
            to_day TEXT
        );
        CREATE INDEX directory_person ON directory (person, from_day);

        -- ordinal keeps the catalog in the order it was given; levels are lowercase names separated by ';'.
        CREATE TABLE courses (
            ordinal INTEGER PRIMARY KEY,
            course TEXT NOT NULL UNIQUE,
            levels TEXT NOT NULL
        );

        CREATE TABLE identities (
            identity TEXT NOT NULL PRIMARY KEY,
            person TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE state (
            key TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;

        -- One row. from_ticks NULL means clean. generation only ever grows, so a mark read before a clear can never be
        -- confused with a mark made after it.
        CREATE TABLE dirty (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            from_ticks INTEGER,
            from_offset_minutes INTEGER,
            generation INTEGER NOT NULL
        );
        INSERT INTO dirty (id, from_ticks, from_offset_minutes, generation) VALUES (1, NULL, NULL, 0);
        """,
        """
        -- generation counts changes of knowledge (events, directory, catalog, identities); epoch counts those and every
        -- recompute that claimed the mark, so a recompute only clears a mark that nobody touched after its claim.
        ALTER TABLE dirty ADD COLUMN epoch INTEGER NOT NULL DEFAULT 0;
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    public static void Migrate(SqliteConnection connection)
    {
        // WAL is a property of the file, so setting it once here holds for every later connection and process.
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        // IMMEDIATE: two processes opening a new file at once must not both create the tables.
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);";
            create.ExecuteNonQuery();
        }

        long version;
        using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT version FROM schema_version WHERE id = 1;";
            version = read.ExecuteScalar() is long v ? v : 0;
        }

        if (version > LatestVersion)
        {
            throw new InvalidOperationException(
                $"the journal file has schema version {version}, newer than the {LatestVersion} this version understands; upgrade the service");
        }

        if (version == LatestVersion)
        {
            return;
        }

        for (var step = (int)version; step < Migrations.Length; step++)
        {
            using var migrate = connection.CreateCommand();
            migrate.Transaction = transaction;
            migrate.CommandText = Migrations[step];
            migrate.ExecuteNonQuery();
        }

        using (var write = connection.CreateCommand())
        {
            write.Transaction = transaction;
            write.CommandText = "INSERT INTO schema_version (id, version) VALUES (1, $version) ON CONFLICT (id) DO UPDATE SET version = excluded.version;";
            write.Parameters.AddWithValue("$version", LatestVersion);
            write.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
