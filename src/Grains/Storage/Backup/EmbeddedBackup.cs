using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace ClinicChat.Storage.Backup;

/// <summary>
/// Backup and restore of the embedded data folder: the SQLite database and the attachment files
/// (<c>attachments/ab/abcdef…</c>, content-addressed). Backups are taken while the server is serving.
/// </summary>
/// <remarks>
/// Order is what makes the copy consistent. The database is copied first, with SQLite's online backup
/// API in one step: one read transaction, so the copy is the database as of one instant, and in WAL
/// mode writers carry on meanwhile. Then the attachment files that snapshot refers to are copied. An
/// attachment's file is stored before its row is committed, and files are never changed or deleted
/// (same content, same name), so every file the snapshot refers to is on disk by then; files of later
/// uploads are left out, as are rendered previews (drawn again on demand) and half-received uploads.
/// </remarks>
public static class EmbeddedBackup
{
    public const string DatabaseFile = "clinicchat.db";

    private const string AttachmentsFolder = "attachments";

    /// <summary>Tables counted into the manifest.</summary>
    private static readonly string[] CountedTables = ["clinics", "patients", "conversations", "messages", "attachments", "audit_log", "AspNetUsers"];

    /// <summary>Backs up the database at <paramref name="connectionString"/> and its attachments under <paramref name="dataDirectory"/> into a new folder.</summary>
    public static async Task<BackupManifest> TakeAsync(string connectionString, string dataDirectory, string destination, TimeProvider time, CancellationToken cancellationToken = default)
    {
        RequireEmpty(destination, "backup into");
        Directory.CreateDirectory(destination);
        var takenAt = time.GetUtcNow();
        var snapshotPath = Path.Combine(destination, DatabaseFile);

        await using (var source = new SqliteConnection(connectionString))
        await using (var snapshot = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = snapshotPath, Pooling = false }.ToString()))
        {
            await source.OpenAsync(cancellationToken);
            await snapshot.OpenAsync(cancellationToken);
            source.BackupDatabase(snapshot);
            // A restored copy is opened alone: one file, no write-ahead log beside it.
            await ExecuteAsync(snapshot, "PRAGMA journal_mode = DELETE", cancellationToken);
            await CheckIntegrityAsync(snapshot, cancellationToken);
        }

        var files = new List<BackupFile> { await DescribeAsync(destination, DatabaseFile, cancellationToken) };
        var (migrations, counts, blobs) = await ReadSnapshotAsync(snapshotPath, cancellationToken);
        foreach (var sha256 in blobs)
        {
            var relative = $"{AttachmentsFolder}/{sha256[..2]}/{sha256}";
            var from = Path.Combine(dataDirectory, relative);
            if (!File.Exists(from))
            {
                throw new BackupException($"Attachment file {relative} is referenced by the database but missing from {dataDirectory}.");
            }

            var to = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to);
            var copied = await DescribeAsync(destination, relative, cancellationToken);
            if (copied.Sha256 != sha256)
            {
                throw new BackupException($"Attachment file {relative} does not hold the content its name promises.");
            }

            files.Add(copied);
        }

        var manifest = new BackupManifest(BackupManifest.CurrentFormat, ProductVersion(), takenAt, migrations, counts, files);
        await manifest.SaveAsync(destination, cancellationToken);
        return manifest;
    }

    /// <summary>
    /// Verifies every file of the backup in <paramref name="backup"/> against its manifest, then copies
    /// them into <paramref name="newDataDirectory"/>, which must not exist or be empty: a restore never
    /// mixes with, or overwrites, a live data folder.
    /// </summary>
    public static async Task<BackupManifest> RestoreAsync(string backup, string newDataDirectory, CancellationToken cancellationToken = default)
    {
        RequireEmpty(newDataDirectory, "restore into");
        var manifest = await BackupManifest.LoadAsync(backup, cancellationToken);
        if (manifest.Format != BackupManifest.CurrentFormat)
        {
            throw new BackupException($"Backup format {manifest.Format} is not one this build reads ({BackupManifest.CurrentFormat}).");
        }

        var damaged = new List<string>();
        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(backup, file.Path);
            if (!File.Exists(path) || await DescribeAsync(backup, file.Path, cancellationToken) != file)
            {
                damaged.Add(file.Path);
            }
        }

        if (damaged.Count > 0)
        {
            throw new BackupException($"The backup is damaged: {damaged.Count} file(s) missing or not matching the manifest ({string.Join(", ", damaged.Take(5))}). Nothing was restored.");
        }

        Directory.CreateDirectory(newDataDirectory);
        foreach (var file in manifest.Files)
        {
            var to = Path.Combine(newDataDirectory, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(Path.Combine(backup, file.Path), to);
        }

        return manifest;
    }

    private static void RequireEmpty(string folder, string what)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            throw new BackupException($"Will not {what} {folder}: it is not empty. Name a new folder.");
        }
    }

    private static async Task<(List<string> Migrations, Dictionary<string, long> Counts, List<string> Blobs)> ReadSnapshotAsync(string snapshotPath, CancellationToken cancellationToken)
    {
        await using var snapshot = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = snapshotPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await snapshot.OpenAsync(cancellationToken);
        var migrations = await ColumnAsync(snapshot, $"SELECT id FROM {SchemaMigrator.MigrationsTable} ORDER BY id", cancellationToken);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in CountedTables)
        {
            await using var count = snapshot.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            counts[table] = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }

        var blobs = await ColumnAsync(snapshot, "SELECT DISTINCT sha256 FROM attachments ORDER BY sha256", cancellationToken);
        return (migrations, counts, blobs);
    }

    private static async Task<List<string>> ColumnAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static async Task CheckIntegrityAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        if (await check.ExecuteScalarAsync(cancellationToken) is not "ok")
        {
            throw new BackupException("The database copy failed SQLite's integrity check.");
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<BackupFile> DescribeAsync(string folder, string relative, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(Path.Combine(folder, relative));
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        return new BackupFile(relative, file.Length, sha256);
    }

    private static string ProductVersion() =>
        typeof(EmbeddedBackup).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
