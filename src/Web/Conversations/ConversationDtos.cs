using ClinicChat.Attachments;
using ClinicChat.Conversations;
using ClinicChat.Inbox;
using ClinicChat.Realtime;
using ClinicChat.Web.Records;

namespace ClinicChat.Web.Conversations;

// The JSON contract of conversations, messages, receipts and threads (API and hub). Kept separate from the grain
// wire types so that either can evolve without breaking the other.

public sealed record StartConversationRequest(Guid? PatientId, Guid? ClinicId);

public sealed record SendMessageRequest(string? ClientMessageId, string? Text, Guid[]? AttachmentIds, Guid[]? RecordIds = null, bool? Sensitive = null);

public sealed record MessageAttachmentDto(Guid AttachmentId, string Name, string ContentType, long Size, string Url, string? PreviewUrl);

public sealed record FlagRequest(bool? Value);

public sealed record ReceiptsRequest(long? DeliveredUpToSeq, long? ReadUpToSeq);

/// <summary>
/// How far one side (or one reader) has received and read. <c>SensitiveReadUpToSeq</c>: how far the patient has read
/// with sensitive messages shown unlocked (staff: 0, not consulted); a sensitive staff message between it and
/// <c>ReadUpToSeq</c> was opened only locked.
/// </summary>
public sealed record ReceiptsDto(long DeliveredUpToSeq, long ReadUpToSeq, long SensitiveReadUpToSeq = 0)
{
    public static ReceiptsDto From(SideReceipts side) => new(side.DeliveredUpTo, side.ReadUpTo, side.SensitiveReadUpTo);

    /// <summary>The caller's own cursors after an acknowledgement (over HTTP or the push connection).</summary>
    public static ReceiptsDto From(ReceiptCursor cursor) => new(cursor.DeliveredUpTo, cursor.ReadUpTo, cursor.SensitiveReadUpTo);
}

/// <summary>Who read a message, and when. <c>Locked</c>: a sensitive message the patient has so far opened only locked.</summary>
public sealed record ReadByDto(string UserId, string Name, DateTimeOffset ReadAt, bool Locked = false);

/// <summary>
/// A message. <c>Status</c> (sent, delivered, read) is given on the caller's own side's messages;
/// <c>ReadBy</c> (who on the other side read it, and when) is given to staff only. <c>Withdrawn</c>: its sender recalled
/// it; a patient is given nothing of what it said or carried, staff still are.
/// </summary>
public sealed record MessageDto(
    Guid ConversationId,
    long Seq,
    string ClientMessageId,
    string SenderId,
    string SenderKind,
    string SenderName,
    string Text,
    DateTimeOffset SentAt,
    string? Status = null,
    IReadOnlyList<ReadByDto>? ReadBy = null,
    IReadOnlyList<MessageAttachmentDto>? Attachments = null,
    IReadOnlyList<RecordDto>? Cards = null,
    bool Sensitive = false,
    bool Locked = false,
    bool Withdrawn = false,
    bool Automatic = false)
{
    public static string SideName(SenderKind side) => side == global::ClinicChat.Conversations.SenderKind.Patient ? "patient" : "staff";

    public static string StatusName(MessageStatus status) => status switch
    {
        MessageStatus.Read => "read",
        MessageStatus.OpenedLocked => "opened_locked",
        MessageStatus.Delivered => "delivered",
        _ => "sent",
    };

    public static MessageDto From(MessageView m, string? status = "sent") =>
        new(m.ConversationId, m.Seq, m.ClientMessageId, m.SenderId, SideName(m.SenderKind), m.SenderName, m.Text, m.SentAt, status, null,
            m.Attachments?.Select(a => new MessageAttachmentDto(a.Id, a.DisplayName, a.ContentType, a.SizeBytes, $"/api/v1/attachments/{a.Id}",
                AttachmentPreviews.CanPreview(a.ContentType) ? $"/api/v1/attachments/{a.Id}/preview" : null)).ToList() ?? [],
            m.Cards?.Select(RecordDto.From).ToList() ?? [],
            m.Sensitive,
            m.Locked,
            m.Withdrawn,
            m.Automatic);
}

/// <param name="StaffItems">Staff only (absent for patients): the lines only staff see among these messages (system lines, notes).</param>
public sealed record MessagePageDto(
    IReadOnlyList<MessageDto> Messages,
    long LastSeq,
    bool HasMore,
    ReceiptsDto StaffReceipts,
    ReceiptsDto PatientReceipts,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = StaffOnly.WhenAbsent)] IReadOnlyList<StaffItemDto>? StaffItems = null)
{
    /// <summary>Statuses for the viewer's own side, read-by lists for staff: all derived from cursors.</summary>
    public static MessagePageDto From(MessagePage page, ActorSide viewer)
    {
        var readBy = page.ReadReceipts.ToLookup(r => r.Seq);
        var messages = page.Messages.Select(m =>
        {
            var recipients = m.SenderKind == global::ClinicChat.Conversations.SenderKind.Staff ? page.PatientReceipts : page.StaffReceipts;
            var status = m.SenderKind == viewer.Side ? MessageDto.StatusName(ReceiptRules.StatusOf(m.Seq, ReceiptRules.IsLockedToRecipients(m), recipients)) : null;
            var readers = viewer.Side == global::ClinicChat.Conversations.SenderKind.Staff
                ? readBy[m.Seq].Select(r => new ReadByDto(r.ReaderId, r.ReaderName, r.ReadAt, r.Locked)).ToList()
                : null;
            return MessageDto.From(m, status) with { ReadBy = readers };
        }).ToList();
        return new MessagePageDto(messages, page.LastSeq, page.HasMore, ReceiptsDto.From(page.StaffReceipts), ReceiptsDto.From(page.PatientReceipts),
            page.StaffItems?.Select(StaffItemDto.From).ToList());
    }
}

/// <summary>Which side of a conversation the caller is on.</summary>
public readonly record struct ActorSide(SenderKind Side);

/// <summary>
/// A side's receipts moved. The reader who moved them is given to staff only: <c>ReaderName</c>, <c>ReaderId</c> and,
/// when their read moved, how their own cursors moved (<c>ReaderMove</c>, left out otherwise; the side's cursors are the
/// furthest of its readers'): a read-by list, live.
/// </summary>
public sealed record ReceiptsUpdatedDto(
    Guid ConversationId,
    string Side,
    long DeliveredUpToSeq,
    long ReadUpToSeq,
    string? ReaderName,
    long SensitiveReadUpToSeq = 0,
    string? ReaderId = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = StaffOnly.WhenAbsent)] ReaderMoveDto? ReaderMove = null);

/// <summary>
/// One reader's read cursors before and after a move, and its time: the messages after <c>ReadFromSeq</c> up to
/// <c>ReadUpToSeq</c> were first read then (sensitive ones unlocked: after <c>SensitiveReadFromSeq</c> up to
/// <c>SensitiveReadUpToSeq</c>), as a page's read-by list would say.
/// </summary>
public sealed record ReaderMoveDto(long ReadFromSeq, long ReadUpToSeq, long SensitiveReadFromSeq, long SensitiveReadUpToSeq, DateTimeOffset At)
{
    public static ReaderMoveDto From(ReaderMove move) =>
        new(move.Before.ReadUpTo, move.After.ReadUpTo, move.Before.SensitiveReadUpTo, move.After.SensitiveReadUpTo, move.At);
}

/// <param name="UserId">Who is typing, on staff connections only (their own windows leave themselves out).</param>
public sealed record TypingDto(Guid ConversationId, string Side, string Name, string? UserId = null);

public sealed record PresenceDto(Guid ConversationId, bool PatientOnline);

public sealed record ConversationDto(Guid Id, Guid ClinicId, Guid PatientId, DateTimeOffset CreatedAt, DateTimeOffset LastActivityAt, long LastSeq, bool Archived)
{
    public static ConversationDto From(ConversationInfo c) => new(c.Id, c.ClinicId, c.PatientId, c.CreatedAt, c.LastActivityAt, c.LastSeq, c.Archived);
}

/// <param name="Topic">What the thread is about (appointments, billing, careTeam), as the patient chose when starting it or staff set; null when none.</param>
public sealed record ThreadDto(
    Guid Id,
    Guid ClinicId,
    string ClinicName,
    Guid PatientId,
    string PatientName,
    long LastSeq,
    DateTimeOffset LastActivityAt,
    string? LastMessagePreview,
    string? LastSenderKind,
    int UnreadCount,
    bool Archived,
    bool Pinned,
    bool Muted,
    bool PatientHasPortalAccount,
    bool PatientChatOptIn,
    bool PatientOnline,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = StaffOnly.WhenAbsent)] ThreadTeamDto? Team = null,
    string? Topic = null)
{
    public static ThreadDto From(ThreadSummary t) => new(
        t.ConversationId, t.ClinicId, t.ClinicName, t.PatientId, t.PatientName, t.LastSeq, t.LastActivityAt, t.LastMessagePreview,
        // "automatic": the clinic's after-hours reply, which answers nobody (the thread still needs a reply).
        t.LastAutomatic ? "automatic" : t.LastSenderKind switch { SenderKind.Patient => "patient", SenderKind.Staff => "staff", _ => null },
        t.UnreadCount, t.Archived, t.Pinned, t.Muted, t.PatientHasPortalAccount, t.PatientChatOptIn, t.PatientOnline,
        t.Team is { } team ? ThreadTeamDto.From(team) : null, ThreadTeamDto.TopicName(t.Topic));
}

/// <param name="NeedsReply">Staff, first page: how many threads of their clinics wait for a reply (at most 1,000); else null.</param>
/// <remarks>Staff threads carry <c>team</c> (status and assignee); a patient's never do.</remarks>
public sealed record ThreadPageDto(IReadOnlyList<ThreadDto> Threads, string? NextCursor, int? NeedsReply = null);
