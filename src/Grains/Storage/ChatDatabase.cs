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
            // Unlike SQLite's pragma, nothing per connection: commits are durable through the server's
            // synchronous_commit, which is on by default.
            var postgres = new NpgsqlConnection(ConnectionString);
            await postgres.OpenAsync(cancellationToken);
            return postgres;
        }

        if (Provider != StorageProvider.Sqlite)
        {
            throw new NotSupportedException($"Storage provider {Provider} is not supported.");
        }

        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        // An acknowledged message must survive kill -9 and power loss: FULL syncs the WAL on every commit.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = FULL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>A UNIQUE index was violated: for messages, the same sender's client id stored before.</summary>
    public static bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 };

    /// <summary>A PRIMARY KEY was violated: for messages, the seq is taken (another activation wrote it).</summary>
    public static bool IsPrimaryKeyViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 1555 };
}
