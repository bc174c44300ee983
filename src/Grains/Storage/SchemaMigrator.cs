using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Storage;

/// <summary>
/// Applies the project's own schema scripts (embedded resources named <c>{provider}.{id}.sql</c>) in
/// order, each once, and records what ran in <c>schema_migrations</c>. Safe to run on every start and
/// from several processes: each script runs in a transaction together with its record, and on
/// PostgreSQL one advisory lock lets only one process migrate at a time (two silos or web nodes
/// starting together would otherwise both find a script missing and both run it).
/// </summary>
public sealed partial class SchemaMigrator(ChatDatabase database, ILogger<SchemaMigrator> logger)
{
    public const string MigrationsTable = "schema_migrations";

    /// <summary>"CCMIGRATE" in ASCII, truncated: the advisory lock migrations hold on PostgreSQL.</summary>
    private const long MigrationLockKey = 0x43_43_4D_49_47_52_41;

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var exclusive = await LockAsync(connection, cancellationToken);
        if (database.Provider == StorageProvider.Sqlite)
        {
            // WAL lets readers proceed while the single writer commits; the mode is stored in the file.
            await using var wal = connection.Command("PRAGMA journal_mode = WAL;");
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        await EnsureMigrationsTableAsync(connection, cancellationToken);
        foreach (var (id, sql) in Scripts(database.Provider))
        {
            await ApplyOnceAsync(connection, id, sql, cancellationToken);
        }
    }

    /// <summary>Runs <paramref name="sql"/> unless <paramref name="id"/> is already recorded. Also used for the identity schema.</summary>
    public async Task ApplyOnceAsync(string id, Func<string> sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var exclusive = await LockAsync(connection, cancellationToken);
        await EnsureMigrationsTableAsync(connection, cancellationToken);
        if (!await IsAppliedAsync(connection, null, id, cancellationToken))
        {
            await ApplyOnceAsync(connection, id, sql(), cancellationToken);
        }
    }

    /// <summary>The schema scripts of this build not yet applied to the database (for a start-up check in cluster mode).</summary>
    public async Task<IReadOnlyList<string>> PendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureMigrationsTableAsync(connection, cancellationToken);
        var pending = new List<string>();
        foreach (var (id, _) in Scripts(database.Provider))
        {
            if (!await IsAppliedAsync(connection, null, id, cancellationToken))
            {
                pending.Add(id);
            }
        }

        return pending;
    }

    /// <summary>Whether a migration or one-off step (like demo seeding) has been recorded.</summary>
    public async Task<bool> IsAppliedAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureMigrationsTableAsync(connection, cancellationToken);
        return await IsAppliedAsync(connection, null, id, cancellationToken);
    }

    /// <summary>Records a one-off step that ran outside a script.</summary>
    public Task RecordAsync(string id, CancellationToken cancellationToken = default) =>
        ApplyOnceAsync(id, () => "SELECT 1;", cancellationToken);

    private async Task ApplyOnceAsync(DbConnection connection, string id, string sql, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await IsAppliedAsync(connection, transaction, id, cancellationToken))
        {
            return;
        }

        await using (var script = connection.Command(sql, transaction))
        {
            await script.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var record = connection.Command($"INSERT INTO {MigrationsTable} (id, applied_at) VALUES (@id, @at)", transaction))
        {
            await record.With("@id", id).With("@at", DateTimeOffset.UtcNow.ToString("O")).ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        LogApplied(id);
    }

    private async Task<IAsyncDisposable> LockAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (database.Provider != StorageProvider.PostgreSql)
        {
            return NoLock.Instance;
        }

        await using var take = connection.Command("SELECT pg_advisory_lock(@key)");
        await take.With("@key", MigrationLockKey).ExecuteNonQueryAsync(cancellationToken);
        return new AdvisoryLock(connection);
    }

    private static async Task EnsureMigrationsTableAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var create = connection.Command(
            $"CREATE TABLE IF NOT EXISTS {MigrationsTable} (id TEXT NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)");
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<bool> IsAppliedAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        await using var query = connection.Command($"SELECT COUNT(*) FROM {MigrationsTable} WHERE id = @id", transaction);
        return Convert.ToInt64(await query.With("@id", id).ExecuteScalarAsync(cancellationToken)) > 0;
    }

    private static IEnumerable<(string Id, string Sql)> Scripts(StorageProvider provider)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = $"ClinicChat.Storage.Schema.{provider.ToString().ToLowerInvariant()}.";
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (name[prefix.Length..^".sql".Length], reader.ReadToEnd());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {MigrationId}.")]
    private partial void LogApplied(string migrationId);

    private sealed class NoLock : IAsyncDisposable
    {
        public static readonly NoLock Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Releases the session-level lock (closing the connection would too, but pooled connections stay open).</summary>
    private sealed class AdvisoryLock(DbConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using var release = connection.Command("SELECT pg_advisory_unlock(@key)");
            await release.With("@key", MigrationLockKey).ExecuteNonQueryAsync();
        }
    }
}
