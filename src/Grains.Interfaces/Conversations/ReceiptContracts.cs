namespace ClinicChat.Conversations;

/// <summary>What the sender sees of a message: stored, on the other side's device, or opened there.</summary>
public enum MessageStatus
{
    Sent = 0,
    Delivered = 1,
    Read = 2,
}

public enum ReceiptKind
{
    Delivered = 0,
    Read = 1,
}

/// <summary>A client's acknowledgement: its devices have everything up to one seq, and the user has read up to another.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ReceiptAck")]
public sealed record ReceiptAck([property: Id(0)] long? DeliveredUpToSeq, [property: Id(1)] long? ReadUpToSeq);

/// <summary>One reader's receipt cursors in one conversation. Both only ever move forward.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ReceiptCursor")]
public sealed record ReceiptCursor(
    [property: Id(0)] string ReaderId,
    [property: Id(1)] SenderKind ReaderKind,
    [property: Id(2)] string ReaderName,
    [property: Id(3)] long DeliveredUpTo,
    [property: Id(4)] long ReadUpTo,
    [property: Id(5)] DateTimeOffset UpdatedAt);

/// <summary>How far one side (the clinic's staff together, or the patient) has received and read.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.SideReceipts")]
public sealed record SideReceipts([property: Id(0)] long DeliveredUpTo, [property: Id(1)] long ReadUpTo)
{
    public static readonly SideReceipts None = new(0, 0);
}

/// <summary>Who read a message, and when: shown to staff only.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ReadReceipt")]
public sealed record ReadReceipt(
    [property: Id(0)] long Seq,
    [property: Id(1)] string ReaderId,
    [property: Id(2)] string ReaderName,
    [property: Id(3)] SenderKind ReaderKind,
    [property: Id(4)] DateTimeOffset ReadAt);
