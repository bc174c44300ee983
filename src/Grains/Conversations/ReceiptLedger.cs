namespace ClinicChat.Conversations;

/// <summary>
/// One conversation's receipt cursors in memory (the patient's, and each staff member's who has received or read), as
/// stored: the grain proposes a move, stores it, and only then records it here, so memory never runs ahead of the table.
/// </summary>
internal sealed class ReceiptLedger
{
    private readonly Dictionary<string, ReceiptCursor> _cursors = [];

    public void Load(IEnumerable<ReceiptCursor> stored)
    {
        foreach (var cursor in stored)
        {
            _cursors[cursor.ReaderId] = cursor;
        }
    }

    /// <summary>How far one side as a whole has received and read.</summary>
    public SideReceipts SideOf(SenderKind side) => ReceiptRules.SideOf(_cursors.Values, side);

    /// <summary>
    /// Where the caller's cursors go after <paramref name="ack"/>. The client says what was read; the session says whether
    /// sensitive content could have been shown then (<see cref="Actor.MaySeeSensitive"/> at <paramref name="now"/>).
    /// </summary>
    public ReceiptMove Propose(Actor actor, ReceiptAck ack, long lastSeq, DateTimeOffset createdAt, DateTimeOffset now)
    {
        var side = MessageRules.SideOf(actor);
        var current = _cursors.GetValueOrDefault(actor.UserId)
            ?? new ReceiptCursor(actor.UserId, side, actor.DisplayName, 0, 0, createdAt);
        var (delivered, read) = ReceiptRules.Advance(current.DeliveredUpTo, current.ReadUpTo, ack, lastSeq);
        var sensitiveRead = side == SenderKind.Patient
            ? ReceiptRules.AdvanceSensitive(current.SensitiveReadUpTo, ack, lastSeq, actor.MaySeeSensitive(now))
            : current.SensitiveReadUpTo;
        var sideBefore = SideOf(side);
        if (!ReceiptRules.IsWorthStoring(side, current, delivered, read, sideBefore, sensitiveRead))
        {
            return new ReceiptMove(current, current, side, sideBefore, IsWorthStoring: false);
        }

        var next = current with { DeliveredUpTo = delivered, ReadUpTo = read, SensitiveReadUpTo = sensitiveRead, ReaderName = actor.DisplayName, UpdatedAt = now };
        return new ReceiptMove(current, next, side, sideBefore, IsWorthStoring: true);
    }

    /// <summary>Takes a stored move into memory; returns the mover's side as it stands now.</summary>
    public SideReceipts Record(ReceiptMove move)
    {
        _cursors[move.Next.ReaderId] = move.Next;
        return SideOf(move.Side);
    }

    /// <summary>
    /// For each message of the page, who on the other side read it and when (shown to staff only). A sensitive message the
    /// patient has read only locked is listed as such, with the time it was opened; once read unlocked, with that time.
    /// </summary>
    /// <param name="advances">Every stored cursor advance over the page's seq range.</param>
    public IReadOnlyList<ReadReceipt> ReadReceipts(
        IReadOnlyList<MessageView> page, IEnumerable<(string ReaderId, ReceiptKind Kind, long UpTo, DateTimeOffset At)> advances)
    {
        var byReader = advances.GroupBy(a => a.ReaderId).ToDictionary(
            g => g.Key,
            g => g.OrderBy(a => a.UpTo).ToLookup(a => a.Kind == ReceiptKind.SensitiveRead, a => (a.UpTo, a.At)));
        var receipts = new List<ReadReceipt>();
        foreach (var message in page)
        {
            foreach (var (readerId, readerAdvances) in byReader)
            {
                if (!_cursors.TryGetValue(readerId, out var reader) || reader.ReaderKind == message.SenderKind)
                {
                    continue;
                }

                if (ReceiptRules.IsLockedToRecipients(message) && FirstAt(readerAdvances[true], message.Seq) is { } unlockedAt)
                {
                    receipts.Add(new ReadReceipt(message.Seq, readerId, reader.ReaderName, reader.ReaderKind, unlockedAt));
                }
                else if (FirstAt(readerAdvances[false], message.Seq) is { } readAt)
                {
                    receipts.Add(new ReadReceipt(message.Seq, readerId, reader.ReaderName, reader.ReaderKind, readAt, Locked: ReceiptRules.IsLockedToRecipients(message)));
                }
            }
        }

        return receipts;
    }

    /// <summary>
    /// When a cursor first reached <paramref name="seq"/>: cursors only move forward, so its first advance at or past it
    /// (<paramref name="advances"/> come sorted by position, once per page).
    /// </summary>
    private static DateTimeOffset? FirstAt(IEnumerable<(long UpTo, DateTimeOffset At)> advances, long seq) =>
        advances.Where(a => a.UpTo >= seq).Select(a => (DateTimeOffset?)a.At).FirstOrDefault();
}

/// <summary>
/// One reader's cursors before (<see cref="Current"/>) and after (<see cref="Next"/>) an acknowledgement, with their
/// side's receipts before it. <see cref="Next"/> is <see cref="Current"/> when the move is not worth storing.
/// </summary>
internal readonly record struct ReceiptMove(ReceiptCursor Current, ReceiptCursor Next, SenderKind Side, SideReceipts SideBefore, bool IsWorthStoring)
{
    public bool DeliveredMoved => Next.DeliveredUpTo != Current.DeliveredUpTo;

    public bool ReadMoved => Next.ReadUpTo != Current.ReadUpTo;

    public bool SensitiveMoved => Next.SensitiveReadUpTo != Current.SensitiveReadUpTo;

    /// <summary>A read (or an unlocked read) is audited as such; a move of the delivered cursor alone as a delivery.</summary>
    public (string Action, string Detail) Audit => ReadMoved || SensitiveMoved
        ? (AuditActions.MessageRead, $"readUpTo={Next.ReadUpTo};deliveredUpTo={Next.DeliveredUpTo}" + (SensitiveMoved ? $";sensitiveReadUpTo={Next.SensitiveReadUpTo}" : ""))
        : (AuditActions.MessageDelivered, $"deliveredUpTo={Next.DeliveredUpTo}");
}
