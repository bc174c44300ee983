using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ClinicChat.Storage;

/// <summary>Opens connections to the ClinicChat database with the settings durability depends on.</summary>
public sealed class ChatDatabase(StorageProvider provider, string connectionString)
{
    public StorageProvider Provider { get; } = provider;

    /// <summary>What this database does differently from the other kind; chosen once, here.</summary>
    public SqlDialect Dialect { get; } = SqlDialect.For(provider);

    public string ConnectionString { get; } = connectionString;

    public string OrleansInvariant => Dialect.OrleansInvariant;

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) => Dialect.OpenAsync(ConnectionString, cancellationToken);

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
