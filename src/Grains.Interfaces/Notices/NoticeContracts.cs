namespace ClinicChat.Notices;

/// <summary>How a notice reaches a person. Stored as a number: never renumber.</summary>
public enum NoticeChannel
{
    /// <summary>A decision that sent nothing (opted out, capped, no verified address): kept so it is made once.</summary>
    None = 0,
    Email = 1,
    Sms = 2,
}

/// <summary>Who a thread's pending notice look is for. Stored as a number (<c>notice_pending.audience</c>): never renumber.</summary>
public enum NoticeAudience
{
    /// <summary>A clinic message waits unread by the patient.</summary>
    Patient = 1,

    /// <summary>A patient waits for the clinic's answer (its staff are emailed when the wait passes the reply target).</summary>
    Staff = 2,
}

/// <summary>
/// The only things a notice can say. Each template's wording is fixed in <c>NoticeText</c> and carries the clinic's
/// name, a link and (for verification) a code: never message text, a clinician's name, a file or record, or health.
/// Stored by name: never rename one.
/// </summary>
public static class NoticeTemplates
{
    /// <summary>A clinic message waits unread.</summary>
    public const string NewMessage = "new-message";

    /// <summary>A clinic message waits unread and answers the patient's own last message.</summary>
    public const string Reply = "reply";

    /// <summary>A patient asked to see what a notice looks like on a channel.</summary>
    public const string Test = "test";

    /// <summary>A code that proves a new email address or mobile number belongs to the patient.</summary>
    public const string VerifyContact = "verify-contact";

    /// <summary>The answer to an SMS "HELP": the clinic's contact line.</summary>
    public const string SmsHelp = "sms-help";

    /// <summary>To staff: a patient has waited past the clinic's reply target (the clinic asked for these emails).</summary>
    public const string StaffWaiting = "staff-waiting";

    /// <summary>To staff: a colleague mentioned them in a note on a thread (the link only; never the note or the patient).</summary>
    public const string StaffMentioned = "staff-mentioned";

    /// <summary>
    /// To a person a clinic Admin invited as staff: the clinic's name and a one-time link. The link's secret token travels
    /// in the outbox row's <c>code</c> (cleared once sent), never in <c>link</c>; see <c>NoticeText.OneTimeLink</c>.
    /// </summary>
    public const string StaffInvitation = "staff-invitation";

    /// <summary>To a patient: the clinic invites them to its portal (one-time activation link; token in <c>code</c>).</summary>
    public const string PatientInvitation = "patient-invitation";

    /// <summary>To anyone who asked: a one-time password-reset link (token in <c>code</c>). No clinic name: it may be any account.</summary>
    public const string PasswordReset = "password-reset";

    /// <summary>
    /// To a staff member: an Admin of their clinic turned their two-step sign-in off (the clinic's name as the sender). No
    /// secret and no unsubscribe: an account's security notice, so that a reset they did not ask for does not go unseen.
    /// </summary>
    public const string TwoStepReset = "two-step-reset";

    /// <summary>
    /// To anyone whose password was changed (on their Security page or with an emailed link): so that a change they did not
    /// make does not go unseen. No clinic (any account), no secret, no unsubscribe.
    /// </summary>
    public const string PasswordChanged = "password-changed";
}

/// <summary>The patient's notice choice for one clinic, and where notices go.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ClinicNoticeChoice")]
public sealed record ClinicNoticeChoice(
    [property: Id(0)] Guid ClinicId,
    [property: Id(1)] string ClinicName,
    [property: Id(2)] bool Email,
    [property: Id(3)] bool Sms,
    [property: Id(4)] DateTimeOffset? SmsConsentAt);

/// <summary>
/// What Communication preferences shows: the verified address and number notices go to (null when there is none),
/// whether the number replied STOP, and the choice per clinic.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.NoticeSettings")]
public sealed record NoticeSettings(
    [property: Id(0)] string? Email,
    [property: Id(1)] string? Mobile,
    [property: Id(2)] bool MobileStopped,
    [property: Id(3)] IReadOnlyList<ClinicNoticeChoice> Clinics);

/// <summary>A notice queued in the outbox, as its requester may see it.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.QueuedNotice")]
public sealed record QueuedNotice(
    [property: Id(0)] Guid Id,
    [property: Id(1)] NoticeChannel Channel,
    [property: Id(2)] string MaskedAddress);

/// <summary>Asked by a conversation when a clinic message has waited the unread delay.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.UnreadNoticeRequest")]
public sealed record UnreadNoticeRequest(
    [property: Id(0)] Guid ClinicId,
    [property: Id(1)] Guid ConversationId,
    [property: Id(2)] long UpToSeq,
    [property: Id(3)] bool IsReply);

/// <summary>What a decision did: the channels it queued (empty when suppressed) and, if suppressed, why.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.NoticeDecision")]
public sealed record NoticeDecision(
    [property: Id(0)] IReadOnlyList<NoticeChannel> Queued,
    [property: Id(1)] string? SuppressedBecause);

/// <summary>
/// A patient's notices: their choices per clinic, and the one place that decides whether an unread clinic message
/// becomes a notice (choices, opt-outs, the daily cap, quiet hours). Serialises the decisions for one patient, so the
/// daily cap holds across the patient's threads.
/// </summary>
public interface IPatientNoticeGrain : IGrainWithGuidKey
{
    Task<Outcome<NoticeSettings>> GetSettingsAsync(Actor actor);

    /// <summary>Turning SMS on needs a verified mobile number; the consent time is recorded then.</summary>
    Task<Outcome<NoticeSettings>> SetChoiceAsync(Actor actor, Guid clinicId, bool email, bool sms);

    /// <summary>A test notice from one of the patient's clinics, now (no delay, no quiet hours, no cap).</summary>
    Task<Outcome<QueuedNotice>> SendTestAsync(Actor actor, Guid clinicId, NoticeChannel channel);

    /// <summary>Queues a verification code for an address the patient is adding (not yet theirs, so not yet verified).</summary>
    Task<Outcome<QueuedNotice>> SendVerificationCodeAsync(Actor actor, NoticeChannel channel, string address, string code);

    /// <summary>Decides once, in one commit with its outbox rows and audit rows; a repeated request answers the first decision.</summary>
    Task<NoticeDecision> DecideUnreadAsync(UnreadNoticeRequest request);
}
