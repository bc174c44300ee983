using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClinicChat.Storage;

/// <summary>
/// Everything that differs between the two databases ClinicChat runs on, in one place: stores, the
/// migrator and the silo ask the dialect instead of branching on the provider. Resolved once, by
/// <see cref="ChatDatabase"/>.
/// </summary>
public abstract class SqlDialect
{
    public static SqlDialect Sqlite { get; } = new SqliteDialect();

    public static SqlDialect PostgreSql { get; } = new PostgreSqlDialect();

    public abstract StorageProvider Provider { get; }

    /// <summary>The ADO.NET invariant Orleans' providers expect for this database (see docs/architecture.md).</summary>
    public abstract string OrleansInvariant { get; }

    /// <summary>
    /// Whether the database is shared by the silos of a cluster (membership, reminders and file bytes
    /// live in it) rather than a file beside one process (localhost clustering, our own reminder
    /// table, file bytes on the local disk).
    /// </summary>
    public abstract bool ServesCluster { get; }

    /// <summary>
    /// Whether two write transactions may run at once. Where they may, work that must see every
    /// earlier write (the audit chain, migrations) takes a lock first (<see cref="SerialiseAsync"/>).
    /// </summary>
    public abstract bool HasConcurrentWriters { get; }

    /// <summary>
    /// Appended to a <c>SELECT</c> that claims rows for one node (outbox leases): PostgreSQL skips rows another node is
    /// claiming at the same moment instead of waiting for them; SQLite's single writer needs nothing.
    /// </summary>
    public virtual string ClaimRows => string.Empty;

    /// <summary>
    /// Whether the group-commit writer keeps its connection, and the statements compiled on it, from one commit to
    /// the next, rather than taking one from the pool for each commit.
    /// </summary>
    public abstract bool WriterKeepsConnection { get; }

    public static SqlDialect For(StorageProvider provider) => provider == StorageProvider.PostgreSql ? PostgreSql : Sqlite;

    /// <summary>Opens a connection with the settings durability depends on.</summary>
    public abstract Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancellationToken);

    /// <summary>Settings stored in the database itself, applied before migrating.</summary>
    public virtual Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Makes <paramref name="transaction"/> exclude every other transaction that serialises on
    /// <paramref name="key"/>, until it commits or rolls back. Free where writers never run at once.
    /// </summary>
    public virtual Task SerialiseAsync(DbConnection connection, DbTransaction transaction, long key, CancellationToken cancellationToken = default) => Task.CompletedTask;

    private sealed class SqliteDialect : SqlDialect
    {
        public override StorageProvider Provider => StorageProvider.Sqlite;

        public override string OrleansInvariant => "System.Data.SQLite";

        public override bool ServesCluster => false;

        // SQLite's write transactions (BEGIN IMMEDIATE) already exclude each other.
        public override bool HasConcurrentWriters => false;

        // A file beside the process: nothing restarts under the connection, and Microsoft.Data.Sqlite's pool keeps no
        // compiled statements, so the writer keeps both (StatementCache).
        public override bool WriterKeepsConnection => true;

        public override async Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
        {
            var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            // An acknowledged message must survive kill -9 and power loss: FULL syncs the WAL on every commit.
            // When another connection holds the write lock (Orleans' grain storage, Identity), SQLite's own
            // busy handler waits in steps of 1, 2, 5… ms; without it Microsoft.Data.Sqlite retries SQLITE_BUSY
            // after sleeping 150 ms, which the clinic-day benchmark showed as 150 ms stalls of every send.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }

        public override async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken)
        {
            // WAL lets readers proceed while the single writer commits; the mode is stored in the file.
            await using var wal = connection.Command("PRAGMA journal_mode = WAL;");
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private sealed class PostgreSqlDialect : SqlDialect
    {
        public override StorageProvider Provider => StorageProvider.PostgreSql;

        public override string OrleansInvariant => "Npgsql";

        public override bool ServesCluster => true;

        public override bool HasConcurrentWriters => true;

        // A server that may restart or fail over under a held connection; a pooled connection for each commit recovers
        // by itself (the statements are kept for the commit's units).
        public override bool WriterKeepsConnection => false;

        public override string ClaimRows => " FOR UPDATE SKIP LOCKED";

        public override async Task<DbConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
        {
            // Durability is the server's: synchronous_commit must stay on (the default) for an
            // acknowledged message to survive a crash; see docs/operations.md.
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return connection;
        }

        public override async Task SerialiseAsync(DbConnection connection, DbTransaction transaction, long key, CancellationToken cancellationToken = default)
        {
            // An advisory lock taken inside a transaction is released at its commit or rollback; taking it again is free.
            await using var @lock = connection.Command("SELECT pg_advisory_xact_lock(@key)", transaction);
            await @lock.With("@key", key).ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
