using ClinicChat.Conversations;
using ClinicChat.Inbox;
using ClinicChat.Patients;
using ClinicChat.Records;

namespace ClinicChat.Web.Api;

// The public JSON contract of /api/v1 and the hub. Kept separate from the grain wire types so that
// either can evolve without breaking the other.

public sealed record LoginRequest(string? Email, string? Password);

public sealed record MembershipDto(Guid ClinicId, string ClinicName, string Role);

/// <summary>
/// <c>ChatClinicIds</c>: the clinics where the caller may chat with patients, by the rule the server enforces
/// (clients show Chat from this, never from roles of their own reading).
/// <c>SensitiveUntil</c>: when this session's window for sensitive messages closes (patients; null when closed).
/// <c>TotpEnrolmentRequired</c>: this session may only set up two-step sign-in (the clinic requires it).
/// </summary>
public sealed record MeDto(
    string UserId, string Kind, string DisplayName, Guid? PatientId, IReadOnlyList<MembershipDto> Memberships, IReadOnlyList<Guid> ChatClinicIds,
    DateTimeOffset? SensitiveUntil = null, bool TotpEnrolmentRequired = false);

/// <summary>A correct password that needs a second step: <c>next</c> is <c>totp</c> (POST /auth/login/totp).</summary>
public sealed record LoginChallengeDto(string Next)
{
    public const string Totp = "totp";
}

public sealed record TotpCodeRequest(string? Code);

public sealed record TotpDisableRequest(string? Password);

public sealed record TotpStatusDto(bool Enabled, bool RequiredByClinic);

/// <summary>The shared key (base32, for typing in) and the otpauth URI (for a QR code) of a new authenticator.</summary>
public sealed record TotpSetupDto(string SharedKey, string OtpauthUri);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record ClinicSecurityRequest(bool? RequireStaffTotp);

public sealed record ClinicSecurityDto(bool RequireStaffTotp);

public sealed record ReauthRequest(string? Password);

public sealed record ReauthDto(DateTimeOffset SensitiveUntil);

public sealed record SessionDto(MeDto? Me);

public sealed record PreferencesDto(bool ChatOptIn);

public sealed record UpdatePreferencesRequest(bool? ChatOptIn);

/// <param name="HasConversation">The clinic already has a thread with this patient (starting one opens it).</param>
/// <param name="Hint">What tells two patients of one name apart: "mobile ending 0042" or a masked email.</param>
public sealed record PatientDto(Guid Id, string DisplayName, bool HasPortalAccount, bool ChatOptIn, string? MobileNumber, bool HasConversation = false, string? Hint = null)
{
    public static PatientDto From(PatientSummary p) => new(p.Id, p.DisplayName, p.HasPortalAccount, p.ChatOptIn, p.MobileNumber, p.HasConversation, p.Hint);
}

public sealed record StartConversationRequest(Guid? PatientId, Guid? ClinicId);

public sealed record SendMessageRequest(string? ClientMessageId, string? Text, Guid[]? AttachmentIds, Guid[]? ArtifactIds = null, bool? Sensitive = null);

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
}

/// <summary>Who read a message, and when. <c>Locked</c>: a sensitive message the patient has so far opened only locked.</summary>
public sealed record ReadByDto(string UserId, string Name, DateTimeOffset ReadAt, bool Locked = false);

/// <summary>
/// A message. <c>Status</c> (sent, delivered, read) is given on the caller's own side's messages;
/// <c>ReadBy</c> (who on the other side read it, and when) is given to staff only.
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
    IReadOnlyList<ArtifactDto>? Cards = null,
    bool Sensitive = false,
    bool Locked = false)
{
    public static string SideName(SenderKind side) => side == Conversations.SenderKind.Patient ? "patient" : "staff";

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
                ClinicChat.Attachments.AttachmentPreviews.CanPreview(a.ContentType) ? $"/api/v1/attachments/{a.Id}/preview" : null)).ToList() ?? [],
            m.Cards?.Select(ArtifactDto.From).ToList() ?? [],
            m.Sensitive,
            m.Locked);
}

public sealed record MessagePageDto(
    IReadOnlyList<MessageDto> Messages,
    long LastSeq,
    bool HasMore,
    ReceiptsDto StaffReceipts,
    ReceiptsDto PatientReceipts)
{
    /// <summary>Statuses for the viewer's own side, read-by lists for staff: all derived from cursors.</summary>
    public static MessagePageDto From(MessagePage page, ActorSide viewer)
    {
        var readBy = page.ReadReceipts.ToLookup(r => r.Seq);
        var messages = page.Messages.Select(m =>
        {
            var recipients = m.SenderKind == Conversations.SenderKind.Staff ? page.PatientReceipts : page.StaffReceipts;
            var status = m.SenderKind == viewer.Side ? MessageDto.StatusName(ReceiptRules.StatusOf(m.Seq, ReceiptRules.IsLockedToRecipients(m), recipients)) : null;
            var readers = viewer.Side == Conversations.SenderKind.Staff
                ? readBy[m.Seq].Select(r => new ReadByDto(r.ReaderId, r.ReaderName, r.ReadAt, r.Locked)).ToList()
                : null;
            return MessageDto.From(m, status) with { ReadBy = readers };
        }).ToList();
        return new MessagePageDto(messages, page.LastSeq, page.HasMore, ReceiptsDto.From(page.StaffReceipts), ReceiptsDto.From(page.PatientReceipts));
    }
}

/// <summary>Which side of a conversation the caller is on.</summary>
public readonly record struct ActorSide(SenderKind Side);

public sealed record ReceiptsUpdatedDto(Guid ConversationId, string Side, long DeliveredUpToSeq, long ReadUpToSeq, string? ReaderName, long SensitiveReadUpToSeq = 0);

public sealed record TypingDto(Guid ConversationId, string Side, string Name);

public sealed record PresenceDto(Guid ConversationId, bool PatientOnline);

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
    bool PatientChatOptIn,
    bool PatientOnline)
{
    public static ThreadDto From(ThreadSummary t) => new(
        t.ConversationId, t.ClinicId, t.ClinicName, t.PatientId, t.PatientName, t.LastSeq, t.LastActivityAt, t.LastMessagePreview,
        t.LastSenderKind switch { SenderKind.Patient => "patient", SenderKind.Staff => "staff", _ => null },
        t.UnreadCount, t.Archived, t.Pinned, t.Muted, t.PatientHasPortalAccount, t.PatientChatOptIn, t.PatientOnline);
}

public sealed record ThreadPageDto(IReadOnlyList<ThreadDto> Threads, string? NextCursor);

public sealed record ArtifactUpdatedDto(Guid ArtifactId, Guid ConversationId, int Version);

/// <summary>
/// A patient record as a card shows it. On a message: the version and details as sent. From
/// <c>GET /artifacts/{id}</c>: as it is now (a different version means it changed since it was sent).
/// </summary>
public sealed record ArtifactDto(
    Guid Id,
    string Kind,
    int Version,
    DateTimeOffset? UpdatedAt,
    AppointmentDetails? Appointment,
    InvoiceDetails? Invoice,
    PrescriptionDetails? Prescription)
{
    public static string KindName(ArtifactKind kind) => kind switch
    {
        ArtifactKind.Appointment => "appointment",
        ArtifactKind.Invoice => "invoice",
        _ => "prescription",
    };

    public static ArtifactKind? ParseKind(string? name) => name switch
    {
        "appointment" => ArtifactKind.Appointment,
        "invoice" => ArtifactKind.Invoice,
        "prescription" => ArtifactKind.Prescription,
        _ => null,
    };

    public static ArtifactDto From(ArtifactView a) =>
        new(a.Id, KindName(a.Snapshot.Kind), a.Version, a.UpdatedAt, a.Snapshot.Appointment, a.Snapshot.Invoice, a.Snapshot.Prescription);

    public static ArtifactDto From(CardRef c) =>
        new(c.ArtifactId, KindName(c.Snapshot.Kind), c.Version, null, c.Snapshot.Appointment, c.Snapshot.Invoice, c.Snapshot.Prescription);
}

public sealed record ArtifactListDto(IReadOnlyList<ArtifactDto> Items);

public sealed record ImportSummaryDto(int Created, int Updated, int Unchanged);
