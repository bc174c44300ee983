using ClinicChat.Conversations;
using ClinicChat.Inbox;
using ClinicChat.Patients;

namespace ClinicChat.Web.Api;

// The public JSON contract of /api/v1 and the hub. Kept separate from the grain wire types so that
// either can evolve without breaking the other.

public sealed record LoginRequest(string? Email, string? Password);

public sealed record MembershipDto(Guid ClinicId, string ClinicName, string Role);

public sealed record MeDto(string UserId, string Kind, string DisplayName, Guid? PatientId, IReadOnlyList<MembershipDto> Memberships);

public sealed record SessionDto(MeDto? Me);

public sealed record PreferencesDto(bool ChatOptIn);

public sealed record UpdatePreferencesRequest(bool? ChatOptIn);

public sealed record PatientDto(Guid Id, string DisplayName, bool HasPortalAccount, bool ChatOptIn, string? MobileNumber)
{
    public static PatientDto From(PatientSummary p) => new(p.Id, p.DisplayName, p.HasPortalAccount, p.ChatOptIn, p.MobileNumber);
}

public sealed record StartConversationRequest(Guid? PatientId, Guid? ClinicId);

public sealed record SendMessageRequest(string? ClientMessageId, string? Text);

public sealed record FlagRequest(bool? Value);

public sealed record MarkReadRequest(long? UpToSeq);

public sealed record ReadCursorDto(long ReadUpToSeq);

public sealed record MessageDto(Guid ConversationId, long Seq, string ClientMessageId, string SenderId, string SenderKind, string SenderName, string Text, DateTimeOffset SentAt)
{
    public static MessageDto From(MessageView m) =>
        new(m.ConversationId, m.Seq, m.ClientMessageId, m.SenderId, m.SenderKind == Conversations.SenderKind.Patient ? "patient" : "staff", m.SenderName, m.Text, m.SentAt);
}

public sealed record MessagePageDto(IReadOnlyList<MessageDto> Messages, long LastSeq, bool HasMore);

public sealed record ConversationDto(Guid Id, Guid ClinicId, Guid PatientId, DateTimeOffset CreatedAt, DateTimeOffset LastActivityAt, long LastSeq, bool Archived)
{
    public static ConversationDto From(ConversationInfo c) => new(c.Id, c.ClinicId, c.PatientId, c.CreatedAt, c.LastActivityAt, c.LastSeq, c.Archived);
}

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
    bool PatientChatOptIn)
{
    public static ThreadDto From(ThreadSummary t) => new(
        t.ConversationId, t.ClinicId, t.ClinicName, t.PatientId, t.PatientName, t.LastSeq, t.LastActivityAt, t.LastMessagePreview,
        t.LastSenderKind switch { SenderKind.Patient => "patient", SenderKind.Staff => "staff", _ => null },
        t.UnreadCount, t.Archived, t.Pinned, t.Muted, t.PatientHasPortalAccount, t.PatientChatOptIn);
}

public sealed record ThreadPageDto(IReadOnlyList<ThreadDto> Threads, string? NextCursor);
