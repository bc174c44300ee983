namespace ClinicChat.Storage;

public enum StorageProvider
{
    Sqlite = 0,
    PostgreSql = 1,
}

/// <summary>Where ClinicChat keeps everything: bound from the <c>ClinicChat:Storage</c> section.</summary>
public sealed class ChatStorageOptions
{
    public const string Section = "ClinicChat:Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Full connection string. When empty in SQLite mode it is derived from <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder for the embedded database (and, later, attachment blobs). Relative paths resolve against the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Apply pending schema scripts when a silo starts. Default: yes for the embedded SQLite file; no
    /// for PostgreSQL, where migrating is a release step (<c>ClinicChat.Silo migrate</c>) and a silo
    /// refuses to start on a schema older than its build.
    /// </summary>
    public bool? MigrateOnStart { get; set; }

    public bool ShouldMigrateOnStart => MigrateOnStart ?? !SqlDialect.For(Provider).ServesCluster;

    /// <summary>Most writes committed in one transaction by the group-commit writer.</summary>
    public int MaxBatchSize { get; set; } = 256;

    public string ResolveConnectionString(string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            return ConnectionString;
        }

        if (SqlDialect.For(Provider).ServesCluster)
        {
            throw new InvalidOperationException($"{Section}:ConnectionString is required for {Provider}.");
        }

        var folder = Path.GetFullPath(DataDirectory, contentRoot);
        Directory.CreateDirectory(folder);
        return $"Data Source={Path.Combine(folder, "clinicchat.db")};Pooling=True;Default Timeout=30";
    }
}
