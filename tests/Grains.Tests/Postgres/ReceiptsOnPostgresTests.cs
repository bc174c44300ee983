using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicChat.Tests.Postgres;

/// <summary>The receipt queries as PostgreSQL runs them: the patient's sensitive-read cursor lives in its events alone.</summary>
[Trait("Category", "Slow")] // a throwaway PostgreSQL server
[Collection(PostgresClusterCollection.Name)]
public sealed class ReceiptsOnPostgresTests(PostgresClusterFixture fixture)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 13, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ASensitiveReadIsStoredAsEventsAndReadBackWithTheCursorsOnPostgres()
    {
        var database = new ChatDatabase(StorageProvider.PostgreSql, fixture.ConnectionString);
        var conversation = Guid.NewGuid();
        var lockedRead = new ReceiptCursor("pat", SenderKind.Patient, "Pat", 3, 3, Start);
        var unlockedRead = lockedRead with { SensitiveReadUpTo = 3, UpdatedAt = Start.AddMinutes(9) };
        await using (var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance))
        {
            await writer.WriteAsync(MessageStore.SaveCursor(conversation, lockedRead, deliveredMoved: true, readMoved: true));
            await writer.WriteAsync(MessageStore.SaveCursor(conversation, unlockedRead, deliveredMoved: false, readMoved: false, sensitiveReadMoved: true));
        }

        var store = new MessageStore(database);
        var cursor = Assert.Single(await store.ReadCursorsAsync(conversation));
        var advances = await store.ReadAdvancesAsync(conversation, 1, 2);

        Assert.Equal((3L, 3L, 3L), (cursor.DeliveredUpTo, cursor.ReadUpTo, cursor.SensitiveReadUpTo));
        Assert.Equal(
            [(ReceiptKind.Read, 3L, Start), (ReceiptKind.SensitiveRead, 3L, Start.AddMinutes(9))],
            advances.Select(a => (a.Kind, a.UpTo, a.At)).OrderBy(a => a.Kind));
    }

    [Fact]
    public async Task AnOldPagesReadersComeFromAdvancesStoredBeforeTheUpgradeOnPostgres() =>
        await ReceiptKeyUpgradeScenario.AnOldPagesReadersComeFromAdvancesStoredBeforeTheUpgradeAsync(
            new ChatDatabase(StorageProvider.PostgreSql, await fixture.Server.CreateDatabaseAsync("receipts_" + Guid.NewGuid().ToString("N")[..12])));
}
