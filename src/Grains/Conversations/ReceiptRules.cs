namespace ClinicChat.Conversations;

/// <summary>
/// Receipts are per-reader cursors, never per-message flags: a message's status is derived from the
/// cursors of the side that did not send it. These rules are the whole of that logic.
/// </summary>
public static class ReceiptRules
{
    /// <summary>
    /// The cursors after an acknowledgement: never backwards, never past the last stored message,
    /// and reading implies having received.
    /// </summary>
    public static (long Delivered, long Read) Advance(long delivered, long read, ReceiptAck ack, long lastSeq)
    {
        var newRead = Math.Max(read, Math.Clamp(ack.ReadUpToSeq ?? 0, 0, lastSeq));
        var newDelivered = Math.Max(Math.Max(delivered, newRead), Math.Clamp(ack.DeliveredUpToSeq ?? 0, 0, lastSeq));
        return (newDelivered, newRead);
    }

    /// <summary>
    /// Whether moving a reader's cursors to (<paramref name="delivered"/>, <paramref name="read"/>)
    /// is worth a write. Not when nothing moves; and not when a staff device only confirms a delivery
    /// the clinic already has: every online staff device acknowledges every patient message, and
    /// storing each would cost a write, an audit row and a push per device. Personal reads are always
    /// stored (they drive unread counts).
    /// </summary>
    public static bool IsWorthStoring(SenderKind side, ReceiptCursor current, long delivered, long read, SideReceipts sideBefore)
    {
        if (delivered == current.DeliveredUpTo && read == current.ReadUpTo)
        {
            return false;
        }

        return read != current.ReadUpTo || side != SenderKind.Staff || delivered > sideBefore.DeliveredUpTo;
    }

    /// <summary>How far a side has got: any one of its readers counts (any staff member reads for the clinic).</summary>
    public static SideReceipts SideOf(IEnumerable<ReceiptCursor> cursors, SenderKind side)
    {
        long delivered = 0, read = 0;
        foreach (var cursor in cursors.Where(c => c.ReaderKind == side))
        {
            delivered = Math.Max(delivered, cursor.DeliveredUpTo);
            read = Math.Max(read, cursor.ReadUpTo);
        }

        return new SideReceipts(delivered, read);
    }

    public static MessageStatus StatusOf(long seq, SideReceipts recipients) =>
        seq <= recipients.ReadUpTo ? MessageStatus.Read
        : seq <= recipients.DeliveredUpTo ? MessageStatus.Delivered
        : MessageStatus.Sent;

    public static SenderKind Opposite(SenderKind side) => side == SenderKind.Staff ? SenderKind.Patient : SenderKind.Staff;
}
