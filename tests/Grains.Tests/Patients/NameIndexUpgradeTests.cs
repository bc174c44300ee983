using Microsoft.Data.Sqlite;

namespace ClinicChat.Tests;

/// <summary>The name index's upgrade on the embedded database (SQLite, its own file).</summary>
public sealed class NameIndexUpgradeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("clinicchat-names-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public Task PatientsIndexedBeforeTheUpgradeAreFoundInNameOrder() =>
        NameIndexUpgradeScenario.PatientsIndexedBeforeTheUpgradeAreFoundInNameOrderAsync(
            new ChatDatabase(StorageProvider.Sqlite, $"Data Source={Path.Combine(_folder, "names.db")};Pooling=False"));
}
