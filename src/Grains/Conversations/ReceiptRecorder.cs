using ClinicChat.Diagnostics;

namespace ClinicChat.Conversations;

/// <summary>
/// Moves a reader's receipt cursors: the <see cref="ReceiptLedger"/> decides, this stores the move with its audit row and
/// then tells both sides. Runs inside the conversation grain's turn, which owns the ledger.
/// </summary>
internal sealed class ReceiptRecorder(
    ReceiptLedger ledger,
    MessageStore messages,
    GroupCommitWriter writer,
    ChatMetrics metrics,
    TimeProvider time,
    Guid conversationId,
    ConversationAudit audit,
    ConversationEvents events)
{
    /// <summary>Who read each message of a page and when; for staff only (the patient sees the clinic's side as a whole).</summary>
    public async Task<IReadOnlyList<ReadReceipt>> ReadReceiptsAsync(Actor reader, IReadOnlyList<MessageView> page) =>
        reader.Kind == ActorKind.Staff && page.Count > 0
            ? ledger.ReadReceipts(page, await messages.ReadAdvancesAsync(conversationId, page[0].Seq, page[^1].Seq))
            : [];

    /// <summary>Moves the cursors for <paramref name="ack"/> if that is worth storing; answers the reader's cursor after it.</summary>
    /// <remarks><paramref name="alsoAudit"/> is written in the same commit, whether or not the cursors move.</remarks>
    public async Task<ReceiptCursor> AdvanceAsync(Actor actor, ReceiptAck ack, long lastSeq, DateTimeOffset createdAt, AuditEvent? alsoAudit = null)
    {
        var now = time.GetUtcNow();
        var move = ledger.Propose(actor, ack, lastSeq, createdAt, now);
        if (!move.IsWorthStoring)
        {
            if (alsoAudit is not null)
            {
                await writer.AuditAsync(time.GetUtcNow(), alsoAudit);
            }

            return move.Current;
        }

        var (action, detail) = move.Audit;
        var moved = audit.For(actor, action, detail);
        await writer.WriteAsync(MessageStore.SaveCursor(conversationId, move.Next, move.DeliveredMoved, move.ReadMoved, move.SensitiveMoved)
            .Then(alsoAudit is null ? AuditLog.Append(now, moved) : AuditLog.Append(now, moved, alsoAudit)));

        var sideAfter = ledger.Record(move);
        if (move.DeliveredMoved)
        {
            metrics.DeliveryReceiptAdvanced();
        }

        events.ReceiptsMoved(move, sideAfter);
        return move.Next;
    }
}
