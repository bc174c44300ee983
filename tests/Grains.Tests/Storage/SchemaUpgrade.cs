using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicChat.Tests;

/// <summary>
/// A database as the build before a migration left it, for the tests of that migration: every script before it is
/// applied; the test then writes what the old build wrote and finishes the upgrade with <see cref="SchemaMigrator.MigrateAsync"/>.
/// </summary>
internal static class SchemaUpgrade
{
    /// <param name="firstNewSqlite">The upgrade's first script on SQLite (e.g. "0031_receipt_events_by_reader").</param>
    /// <param name="firstNewPostgres">The same on PostgreSQL, whose scripts are numbered apart.</param>
    /// <returns>The migrator that finishes the upgrade.</returns>
    public static async Task<SchemaMigrator> ApplyScriptsBeforeAsync(ChatDatabase database, string firstNewSqlite, string firstNewPostgres)
    {
        var migrator = new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance);
        var upgrade = database.Provider == StorageProvider.PostgreSql ? firstNewPostgres : firstNewSqlite;
        foreach (var (id, sql) in SchemaMigrator.Scripts(database.Provider).TakeWhile(script => script.Id != upgrade))
        {
            await migrator.ApplyOnceAsync(id, () => sql);
        }

        return migrator;
    }
}

/// <summary>A test on the embedded database (SQLite) in a file of its own, deleted after the test.</summary>
public abstract class OwnSqliteFileTest : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("clinicchat-test-").FullName;

    protected ChatDatabase Database => new(StorageProvider.Sqlite, $"Data Source={Path.Combine(_folder, "test.db")};Pooling=False");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
