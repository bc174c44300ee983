using ClinicChat.Records;

namespace ClinicChat.Conversations;

public enum SenderKind
{
    Staff = 0,
    Patient = 1,
}

[GenerateSerializer, Immutable, Alias("ClinicChat.MessageView")]
public sealed record MessageView(
    [property: Id(0)] Guid ConversationId,
    [property: Id(1)] long Seq,
    [property: Id(2)] string ClientMessageId,
    [property: Id(3)] string SenderId,
    [property: Id(4)] SenderKind SenderKind,
    [property: Id(5)] string SenderName,
    [property: Id(6)] string Text,
    [property: Id(7)] DateTimeOffset SentAt,
    [property: Id(8)] IReadOnlyList<AttachmentRef>? Attachments = null,
    [property: Id(9)] IReadOnlyList<CardRef>? Cards = null,
    [property: Id(10)] bool Sensitive = false,
    [property: Id(11)] bool Locked = false,
    [property: Id(12)] bool Withdrawn = false)
{
    /// <summary>The clinic's after-hours reply, written by ClinicChat rather than a person (staff side; it answers nobody).</summary>
    public bool Automatic => SenderId == AutomaticReply.SenderId;

    /// <summary>
    /// As a thread's last message, it leaves the clinic owing a person's answer ("needs reply"): the patient's, or the
    /// automatic reply that answered them. Stored with the message as the thread row's <c>last_waits</c>.
    /// </summary>
    public bool AwaitsReply => SenderKind == SenderKind.Patient || Automatic;
}

/// <summary>The sender of automatic replies: stored as a staff-side message under this id, never a person's.</summary>
public static class AutomaticReply
{
    public const string SenderId = "clinic:after-hours";
}

/// <summary>An attachment as a message carries it: enough to show a card or an image and to fetch it.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.AttachmentRef")]
public sealed record AttachmentRef(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string ContentType,
    [property: Id(2)] long SizeBytes,
    [property: Id(3)] string DisplayName = "");

/// <summary>
/// A message to send. <see cref="ClientMessageId"/> is the sender's idempotency key: a retry with the same one returns
/// the message stored first. Attachments are uploaded to the conversation beforehand; record cards are staff only.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.SendMessage")]
public sealed record SendMessage(
    [property: Id(0)] string ClientMessageId,
    [property: Id(1)] string Text,
    [property: Id(2)] IReadOnlyList<Guid>? AttachmentIds = null,
    [property: Id(3)] IReadOnlyList<Guid>? RecordIds = null,
    [property: Id(4)] bool Sensitive = false);

/// <summary>The result of a send: the stored message, and whether this call was a retry of an earlier one.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.SendReceipt")]
public sealed record SendReceipt([property: Id(0)] MessageView Message, [property: Id(1)] bool WasDuplicate);

[GenerateSerializer, Immutable, Alias("ClinicChat.MessagePageQuery")]
public sealed record MessagePageQuery(
    [property: Id(0)] long? AfterSeq,
    [property: Id(1)] long? BeforeSeq,
    [property: Id(2)] int Limit);

/// <summary>
/// A page of history with what the caller needs to show receipts: how far each side has received
/// and read, and (for staff only) who read each message and when. <see cref="StaffItems"/> (staff only, else null): the
/// lines only staff see that fall among this page's messages (see <c>StaffItemRange</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.MessagePage")]
public sealed record MessagePage(
    [property: Id(0)] IReadOnlyList<MessageView> Messages,
    [property: Id(1)] long LastSeq,
    [property: Id(2)] bool HasMore,
    [property: Id(3)] SideReceipts StaffReceipts,
    [property: Id(4)] SideReceipts PatientReceipts,
    [property: Id(5)] IReadOnlyList<ReadReceipt> ReadReceipts,
    [property: Id(6)] IReadOnlyList<StaffItem>? StaffItems = null);

[GenerateSerializer, Immutable, Alias("ClinicChat.ConversationInfo")]
public sealed record ConversationInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ClinicId,
    [property: Id(2)] Guid PatientId,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset LastActivityAt,
    [property: Id(5)] long LastSeq,
    [property: Id(6)] bool Archived);
