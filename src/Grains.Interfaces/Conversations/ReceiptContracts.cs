namespace ClinicChat.Conversations;

/// <summary>What the sender sees of a message: stored, on the other side's device, or opened there.</summary>
public enum MessageStatus
{
    Sent = 0,
    Delivered = 1,
    Read = 2,
    /// <summary>A sensitive message inside the patient's read cursor that the patient has only seen locked (no re-authentication yet).</summary>
    OpenedLocked = 3,
}

public enum ReceiptKind
{
    Delivered = 0,
    Read = 1,
    /// <summary>A patient read with the re-authentication window open: sensitive messages up to here were shown unlocked.</summary>
    SensitiveRead = 2,
}

/// <summary>A client's acknowledgement: its devices have everything up to one seq, and the user has read up to another.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ReceiptAck")]
public sealed record ReceiptAck([property: Id(0)] long? DeliveredUpToSeq, [property: Id(1)] long? ReadUpToSeq);

/// <summary>
/// One reader's receipt cursors in one conversation. All only ever move forward. <c>SensitiveReadUpTo</c> is a
/// patient's read made with the re-authentication window open (sensitive messages shown unlocked); staff always see
/// sensitive content, so theirs stays 0 and is not consulted.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ReceiptCursor")]
public sealed record ReceiptCursor(
    [property: Id(0)] string ReaderId,
    [property: Id(1)] SenderKind ReaderKind,
    [property: Id(2)] string ReaderName,
    [property: Id(3)] long DeliveredUpTo,
    [property: Id(4)] long ReadUpTo,
    [property: Id(5)] DateTimeOffset UpdatedAt,
    [property: Id(6)] long SensitiveReadUpTo = 0);

/// <summary>
/// How far one side (the clinic's staff together, or the patient) has received and read; for the patient also how far
/// sensitive messages were read unlocked (a staff side leaves it 0: staff see sensitive content always).
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.SideReceipts")]
public sealed record SideReceipts([property: Id(0)] long DeliveredUpTo, [property: Id(1)] long ReadUpTo, [property: Id(2)] long SensitiveReadUpTo = 0)
{
    public static readonly SideReceipts None = new(0, 0);
}

/// <summary>Who read a message, and when: shown to staff only. <c>Locked</c>: a sensitive message the patient opened only locked.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ReadReceipt")]
public sealed record ReadReceipt(
    [property: Id(0)] long Seq,
    [property: Id(1)] string ReaderId,
    [property: Id(2)] string ReaderName,
    [property: Id(3)] SenderKind ReaderKind,
    [property: Id(4)] DateTimeOffset ReadAt,
    [property: Id(5)] bool Locked = false);
