using ClinicChat.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ClinicChat.Tests;

/// <summary>The periodic half of audit checkpoints, one tick at a time, on its own SQLite file.</summary>
public sealed class AuditCheckpointServiceTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "clinicchat-checkpoints-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly AuditCheckpointSigner _signer = new(AuditCheckpointSigner.DevelopmentKey);
    private ChatDatabase _database = null!;
    private GroupCommitWriter _writer = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _database = new ChatDatabase(StorageProvider.Sqlite, $"Data Source={Path.Combine(_folder, "audit.db")};Pooling=False");
        await new SchemaMigrator(_database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        _writer = new GroupCommitWriter(_database, 100, NullLogger<GroupCommitWriter>.Instance);
    }

    public async Task DisposeAsync()
    {
        await _writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task EachChainThatMovedIsSignedOnceAndEveryCheckpointVerifies()
    {
        var (northside, lakeview) = (Guid.NewGuid(), Guid.NewGuid());
        await AuditAsync(northside, 3);
        await AuditAsync(lakeview, 2);
        var service = new AuditCheckpointService(new AuditStore(_database), _writer, _signer,
            Options.Create(new AuditOptions()), _clock, NullLogger<AuditCheckpointService>.Instance);

        await service.CheckpointAllAsync();
        await service.CheckpointAllAsync(); // nothing moved: nothing new to sign
        await AuditAsync(northside, 1);
        _clock.Advance(TimeSpan.FromHours(1));
        await service.CheckpointAllAsync();

        var store = new AuditStore(_database);
        var north = await store.VerifyAsync(AuditLog.ChainOf(northside), _signer);
        var lake = await store.VerifyAsync(AuditLog.ChainOf(lakeview), _signer);
        Assert.Equal((true, 4L, 2L), (north.Ok, north.Rows, north.Checkpoints));
        Assert.Equal((true, 2L, 1L), (lake.Ok, lake.Rows, lake.Checkpoints));
    }

    [Fact]
    public async Task ACheckpointSignedWithAnotherKeyDoesNotVerify()
    {
        var clinic = Guid.NewGuid();
        await AuditAsync(clinic, 2);
        await _writer.CheckpointAsync(AuditLog.ChainOf(clinic), new AuditCheckpointSigner(new string('k', 40)), _clock.GetUtcNow());

        var result = await new AuditStore(_database).VerifyAsync(AuditLog.ChainOf(clinic), _signer);

        Assert.Equal((false, AuditBreak.CheckpointSignatureMismatch), (result.Ok, result.Problem));
    }

    [Fact]
    public async Task EveryChainWithRowsIsListedOnceInOrder()
    {
        var clinics = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        foreach (var (clinic, rows) in clinics.Zip([3, 1, 2]))
        {
            await AuditAsync(clinic, rows);
        }

        await AuditAsync(null, 2); // events of no clinic (sign-ins): chain ''

        Assert.Equal(
            ["", .. clinics.Select(clinic => AuditLog.ChainOf(clinic)).Order(StringComparer.Ordinal)],
            await new AuditStore(_database).ChainsAsync());
    }

    private async Task AuditAsync(Guid? clinicId, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _writer.AuditAsync(_clock.GetUtcNow(), new AuditEvent(AuditActions.MessageSent, "alice", clinicId, null, null, AuditOutcomes.Success));
        }
    }
}
