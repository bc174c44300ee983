using System.Text.Json;

namespace ClinicChat.Storage.Backup;

/// <summary>
/// What a backup holds, written last into its folder (<c>manifest.json</c>): a backup without one is
/// incomplete. Counts are of the snapshot, for an operator to compare with what they expect; the
/// checksums are what <see cref="EmbeddedBackup.RestoreAsync"/> verifies before it restores anything.
/// </summary>
public sealed record BackupManifest(
    int Format,
    string ProductVersion,
    DateTimeOffset TakenAt,
    IReadOnlyList<string> SchemaMigrations,
    IReadOnlyDictionary<string, long> Counts,
    IReadOnlyList<BackupFile> Files)
{
    public const string FileName = "manifest.json";
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task SaveAsync(string folder, CancellationToken cancellationToken)
    {
        await using var file = File.Create(Path.Combine(folder, FileName));
        await JsonSerializer.SerializeAsync(file, this, Json, cancellationToken);
    }

    public static async Task<BackupManifest> LoadAsync(string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            throw new BackupException($"{folder} has no {FileName}: it is not a backup, or the backup did not finish.");
        }

        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<BackupManifest>(file, Json, cancellationToken)
            ?? throw new BackupException($"{path} is empty.");
    }
}

/// <summary>One file of a backup, by its path relative to the backup (and data) folder, with '/' as separator.</summary>
public sealed record BackupFile(string Path, long Bytes, string Sha256);

/// <summary>A backup or restore that cannot go on; the message says why, for an operator.</summary>
public sealed class BackupException(string message) : Exception(message);
