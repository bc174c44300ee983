using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicChat.Tests.Storage;

/// <summary>The group-commit writer's promises on the embedded database (SQLite, its own file).</summary>
public sealed class GroupCommitWriterTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "clinicchat-writer-" + Guid.NewGuid().ToString("N"));
    private ChatDatabase _database = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _database = new ChatDatabase(StorageProvider.Sqlite, $"Data Source={Path.Combine(_folder, "writer.db")};Pooling=False");
        await new SchemaMigrator(_database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public Task AFailingUnitFailsAloneAndTheRestOfItsCommitIsStoredOnce() => GroupCommitScenarios.AFailingUnitFailsAloneAsync(_database);

    [Fact]
    public Task ALoneFailingUnitStoresNothingAndTheWriterGoesOn() => GroupCommitScenarios.ALoneFailingUnitStoresNothingAsync(_database);

    [Fact]
    public Task ACommitWhoseConnectionBrokeFailsAndTheNextIsStored() => GroupCommitScenarios.ACommitWhoseConnectionBrokeFailsAndTheNextIsStoredAsync(_database);

    [Fact]
    public Task AKeptStatementThatFailedServesTheNextUnit() => GroupCommitScenarios.AKeptStatementThatFailedServesTheNextUnitAsync(_database);

    [Fact]
    public Task AKeptStatementNeverBindsTheLastUnitsValue() => GroupCommitScenarios.AKeptStatementNeverBindsTheLastUnitsValueAsync(_database);
}
