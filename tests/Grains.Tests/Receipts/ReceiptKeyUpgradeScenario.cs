using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicChat.Tests;

/// <summary>
/// Read advances gained a key that starts with the reader (sqlite.0031 / postgresql.0023_receipt_events_by_reader): a
/// page of history must still say who read each message and when, from advances stored before that upgrade, with each
/// reader's time taken from their first advance at or past the message, however far after the page it is. Written once,
/// run on each database.
/// </summary>
internal static class ReceiptKeyUpgradeScenario
{
    private const string FirstNewScript = "0031_receipt_events_by_reader";
    private const string FirstNewPostgresScript = "0023_receipt_events_by_reader";
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 8, 0, 0, TimeSpan.Zero);

    public static async Task AnOldPagesReadersComeFromAdvancesStoredBeforeTheUpgradeAsync(ChatDatabase database)
    {
        var migrator = await SchemaUpgrade.ApplyScriptsBeforeAsync(database, FirstNewScript, FirstNewPostgresScript);

        var (thread, elsewhere) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance))
        {
            var pat = new ReceiptCursor("pat", SenderKind.Patient, "Pat", 2, 2, Start);
            var alice = new ReceiptCursor("alice", SenderKind.Staff, "Alice", 1, 1, Start);
            var frank = new ReceiptCursor("frank", SenderKind.Staff, "Frank", 1, 1, Start);
            await writer.WriteAsync(MessageStore.SaveCursor(thread, pat, deliveredMoved: true, readMoved: true));
            await writer.WriteAsync(MessageStore.SaveCursor(thread, alice, deliveredMoved: true, readMoved: true));
            await writer.WriteAsync(MessageStore.SaveCursor(thread, frank, deliveredMoved: true, readMoved: true));
            // Pat reads on past the page twice and unlocks a sensitive message once; Alice comes back much later.
            await writer.WriteAsync(MessageStore.SaveCursor(thread, pat with { DeliveredUpTo = 9, ReadUpTo = 6, UpdatedAt = Start.AddMinutes(5) }, deliveredMoved: true, readMoved: true));
            await writer.WriteAsync(MessageStore.SaveCursor(thread, pat with { DeliveredUpTo = 9, ReadUpTo = 6, SensitiveReadUpTo = 6, UpdatedAt = Start.AddMinutes(6) }, deliveredMoved: false, readMoved: false, sensitiveReadMoved: true));
            await writer.WriteAsync(MessageStore.SaveCursor(thread, pat with { DeliveredUpTo = 9, ReadUpTo = 8, SensitiveReadUpTo = 6, UpdatedAt = Start.AddMinutes(7) }, deliveredMoved: false, readMoved: true));
            await writer.WriteAsync(MessageStore.SaveCursor(thread, alice with { DeliveredUpTo = 9, ReadUpTo = 9, UpdatedAt = Start.AddDays(3) }, deliveredMoved: true, readMoved: true));
            await writer.WriteAsync(MessageStore.SaveCursor(elsewhere, pat with { ReadUpTo = 4, UpdatedAt = Start.AddMinutes(1) }, deliveredMoved: false, readMoved: true));
        }

        await migrator.MigrateAsync();

        var store = new MessageStore(database);
        var advances = await store.ReadAdvancesAsync(thread, 2, 4);
        var cursors = await store.ReadCursorsAsync(thread);

        // Inside the page: Pat's read of 2. After it, each reader's first: Pat's read of 6 (not 8) and sensitive read of 6,
        // Alice's read of 9 three days later. Frank never read past 1; no delivery is a read; the other thread is not this one.
        Assert.Equal(
            [("alice", ReceiptKind.Read, 9L, Start.AddDays(3)), ("pat", ReceiptKind.Read, 2L, Start), ("pat", ReceiptKind.Read, 6L, Start.AddMinutes(5)),
             ("pat", ReceiptKind.SensitiveRead, 6L, Start.AddMinutes(6))],
            advances.Select(a => (a.ReaderId, a.Kind, a.UpTo, a.At)).Order());
        Assert.Equal(
            [("alice", 9L, 0L), ("frank", 1L, 0L), ("pat", 8L, 6L)],
            cursors.Select(c => (c.ReaderId, c.ReadUpTo, c.SensitiveReadUpTo)).Order());
    }
}
