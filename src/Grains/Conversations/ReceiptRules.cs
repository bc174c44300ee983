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
