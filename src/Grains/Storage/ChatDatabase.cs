using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClinicChat.Storage;

/// <summary>Opens connections to the ClinicChat database with the settings durability depends on.</summary>
public sealed class ChatDatabase(StorageProvider provider, string connectionString)
{
    public StorageProvider Provider { get; } = provider;

    public string ConnectionString { get; } = connectionString;

    /// <summary>The ADO.NET invariant Orleans' providers expect for this database (see docs/architecture.md).</summary>
    public string OrleansInvariant => Provider switch
    {
        StorageProvider.Sqlite => "System.Data.SQLite",
        _ => "Npgsql",
    };

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (Provider == StorageProvider.PostgreSql)
        {
            // Durability is the server's: synchronous_commit must stay on (the default) for an
            // acknowledged message to survive a crash; see docs/operations.md.
            var postgres = new NpgsqlConnection(ConnectionString);
            await postgres.OpenAsync(cancellationToken);
            return postgres;
        }

        var connection = new SqliteConnection(ConnectionString);
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

    /// <summary>A UNIQUE index was violated: for messages, the same sender's client id stored before.</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 } => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique => !IsPrimaryKey(unique),
        _ => false,
    };

    /// <summary>A PRIMARY KEY was violated: for messages, the seq is taken (another activation wrote it).</summary>
    public static bool IsPrimaryKeyViolation(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 1555 } => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique => IsPrimaryKey(unique),
        _ => false,
    };

    /// <summary>PostgreSQL names primary keys <c>{table}_pkey</c> unless told otherwise; our scripts keep that.</summary>
    private static bool IsPrimaryKey(PostgresException exception) => exception.ConstraintName?.EndsWith("_pkey", StringComparison.Ordinal) == true;
}
