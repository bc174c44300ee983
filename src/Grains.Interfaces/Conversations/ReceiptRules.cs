namespace ClinicChat.Conversations;

/// <summary>
/// Receipts are per-reader cursors, never per-message flags: a message's status is derived from the
/// cursors of the side that did not send it. These rules are the whole of that logic.
/// </summary>
public static class ReceiptRules
{
    /// <summary>An acknowledgement must name at least one cursor, and no negative position.</summary>
    public static ChatError? Validate(ReceiptAck ack)
    {
        if (ack.DeliveredUpToSeq < 0)
        {
            return ChatError.Invalid("deliveredUpToSeq", "deliveredUpToSeq must not be negative.");
        }

        if (ack.ReadUpToSeq < 0)
        {
            return ChatError.Invalid("readUpToSeq", "readUpToSeq must not be negative.");
        }

        if (ack.DeliveredUpToSeq is null && ack.ReadUpToSeq is null)
        {
            return ChatError.Invalid("readUpToSeq", "Give deliveredUpToSeq, readUpToSeq or both.");
        }

        return null;
    }

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
    /// A patient's sensitive-read cursor after an acknowledgement: it follows the read the client reports only when
    /// the patient's re-authentication window is open (<paramref name="mayOpen"/>, checked by the server from the
    /// session), since only then was the content shown. A read outside the window leaves sensitive messages "opened, locked".
    /// </summary>
    public static long AdvanceSensitive(long sensitiveRead, ReceiptAck ack, long lastSeq, bool mayOpen) =>
        mayOpen ? Math.Max(sensitiveRead, Math.Clamp(ack.ReadUpToSeq ?? 0, 0, lastSeq)) : sensitiveRead;

    /// <summary>
    /// Whether moving a reader's cursors to (<paramref name="delivered"/>, <paramref name="read"/>)
    /// is worth a write. Not when nothing moves; and not when a staff device only confirms a delivery
    /// the clinic already has: every online staff device acknowledges every patient message, and
    /// storing each would cost a write, an audit row and a push per device. Personal reads are always
    /// stored (they drive unread counts), and so is a patient's first unlocked read of what they had opened locked.
    /// </summary>
    public static bool IsWorthStoring(SenderKind side, ReceiptCursor current, long delivered, long read, SideReceipts sideBefore, long sensitiveRead = 0)
    {
        if (sensitiveRead > current.SensitiveReadUpTo)
        {
            return true;
        }

        if (delivered == current.DeliveredUpTo && read == current.ReadUpTo)
        {
            return false;
        }

        return read != current.ReadUpTo || side != SenderKind.Staff || delivered > sideBefore.DeliveredUpTo;
    }

    /// <summary>How far a side has got: any one of its readers counts (any staff member reads for the clinic).</summary>
    public static SideReceipts SideOf(IEnumerable<ReceiptCursor> cursors, SenderKind side)
    {
        long delivered = 0, read = 0, sensitiveRead = 0;
        foreach (var cursor in cursors.Where(c => c.ReaderKind == side))
        {
            delivered = Math.Max(delivered, cursor.DeliveredUpTo);
            read = Math.Max(read, cursor.ReadUpTo);
            sensitiveRead = Math.Max(sensitiveRead, cursor.SensitiveReadUpTo);
        }

        return new SideReceipts(delivered, read, side == SenderKind.Patient ? sensitiveRead : 0);
    }

    public static MessageStatus StatusOf(long seq, SideReceipts recipients) => StatusOf(seq, lockedToRecipients: false, recipients);

    /// <summary>
    /// A message's status for its sender. <paramref name="lockedToRecipients"/>: the message is sensitive and its
    /// recipients are the patient, who sees it locked until re-authenticating; inside the read cursor it is then
    /// "opened, locked" until the sensitive-read cursor passes it too.
    /// </summary>
    public static MessageStatus StatusOf(long seq, bool lockedToRecipients, SideReceipts recipients) =>
        seq <= recipients.ReadUpTo ? (lockedToRecipients && seq > recipients.SensitiveReadUpTo ? MessageStatus.OpenedLocked : MessageStatus.Read)
        : seq <= recipients.DeliveredUpTo ? MessageStatus.Delivered
        : MessageStatus.Sent;

    /// <summary>Whether a message reaches its recipients locked: sensitive, sent by staff to the patient.</summary>
    public static bool IsLockedToRecipients(MessageView message) => message.Sensitive && message.SenderKind == SenderKind.Staff;
}
