using System.Data.Common;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Storage;

/// <summary>
/// Applies the schema scripts of every table in order, each once, and records what ran in
/// <c>schema_migrations</c>: first the chat tables' (embedded resources <c>{provider}.{id}.sql</c>,
/// recorded as <c>{id}</c>), then ASP.NET Core Identity's (<c>identity.{provider}.{id}.sql</c>, recorded
/// as <c>identity.{id}</c>). Safe to run on every start and from several processes: each script runs in
/// a transaction together with its record, and on PostgreSQL every such transaction first takes one
/// advisory lock (see <see cref="BeginAsync"/>).
/// </summary>
/// <remarks>
/// Identity's tables are ours to evolve like any other: <c>identity.*.0001_create.sql</c> is exactly
/// the script EF Core generated from the Identity model when the tables were first created (then at
/// run time, recorded under the same id, so a database created that way counts as at version 0001),
/// and a later change of the Identity model (a package upgrade, passkeys) is a new numbered script.
/// A test compares the model with what these scripts build, so such a change cannot go unnoticed.
/// </remarks>
public sealed partial class SchemaMigrator(ChatDatabase database, ILogger<SchemaMigrator> logger)
{
    public const string MigrationsTable = "schema_migrations";

    /// <summary>The PostgreSQL advisory lock key that serialises migrators ("ClinChat" in ASCII).</summary>
    public const long PostgresLockKey = 0x436C_696E_4368_6174;

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await database.Dialect.PrepareAsync(connection, cancellationToken);
        await EnsureMigrationsTableAsync(connection, cancellationToken);
        foreach (var (id, sql) in Scripts(database.Provider))
        {
            await ApplyOnceAsync(connection, id, sql, cancellationToken);
        }
    }

    /// <summary>Runs <paramref name="sql"/> unless <paramref name="id"/> is already recorded.</summary>
    public async Task ApplyOnceAsync(string id, Func<string> sql, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureMigrationsTableAsync(connection, cancellationToken);
        if (!await IsAppliedAsync(connection, null, id, cancellationToken))
        {
            await ApplyOnceAsync(connection, id, sql(), cancellationToken);
        }
    }

    /// <summary>
    /// At a process's start: applies the pending scripts where this process owns the schema (embedded mode), and
    /// otherwise (cluster mode, where <c>ClinicChat.Silo migrate</c> is a release step) refuses to run on an older schema.
    /// </summary>
    public async Task MigrateOrRequireCurrentAsync(bool migrate, CancellationToken cancellationToken = default)
    {
        if (migrate)
        {
            await MigrateAsync(cancellationToken);
            return;
        }

        var pending = await PendingAsync(cancellationToken);
        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"The database schema is older than this build (pending: {string.Join(", ", pending)}). Run 'ClinicChat.Silo migrate' first.");
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
        await using var transaction = await BeginAsync(connection, cancellationToken);
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

    private async Task EnsureMigrationsTableAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = database.Dialect.HasConcurrentWriters ? await BeginAsync(connection, cancellationToken) : null;
        await using (var create = connection.Command(
            $"CREATE TABLE IF NOT EXISTS {MigrationsTable} (id TEXT NOT NULL PRIMARY KEY, applied_at TEXT NOT NULL)", transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// A transaction no other migrator runs alongside. SQLite's (BEGIN IMMEDIATE) already exclude each
    /// other. PostgreSQL's do not: two silos starting together would both find a script unapplied, and
    /// even concurrent CREATE TABLE IF NOT EXISTS fails there with a unique violation. So on PostgreSQL
    /// the transaction takes an advisory lock, which it releases at commit or rollback.
    /// </summary>
    private async Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await database.Dialect.SerialiseAsync(connection, transaction, PostgresLockKey, cancellationToken);
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }

        return transaction;
    }

    private static async Task<bool> IsAppliedAsync(DbConnection connection, DbTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        await using var query = connection.Command($"SELECT COUNT(*) FROM {MigrationsTable} WHERE id = @id", transaction);
        return Convert.ToInt64(await query.With("@id", id).ExecuteScalarAsync(cancellationToken)) > 0;
    }

    /// <summary>Every schema script of this build for <paramref name="provider"/>, in the order they apply: the chat tables', then Identity's.</summary>
    public static IEnumerable<(string Id, string Sql)> Scripts(StorageProvider provider) =>
        ScriptsUnder(ProviderName(provider) + ".", idPrefix: "").Concat(IdentityScripts(provider));

    /// <summary>Identity's scripts for <paramref name="provider"/>, recorded as <c>identity.{id}</c>.</summary>
    public static IEnumerable<(string Id, string Sql)> IdentityScripts(StorageProvider provider) =>
        ScriptsUnder($"identity.{ProviderName(provider)}.", idPrefix: "identity.");

    private static string ProviderName(StorageProvider provider) => provider.ToString().ToLowerInvariant();

    private static IEnumerable<(string Id, string Sql)> ScriptsUnder(string group, string idPrefix)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = "ClinicChat.Storage.Schema." + group;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            yield return (idPrefix + name[prefix.Length..^".sql".Length], reader.ReadToEnd());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {MigrationId}.")]
    private partial void LogApplied(string migrationId);
}
