using ClinicChat.Notices;

namespace ClinicChat.Onboarding;

/// <summary>Where a patient's portal invitation stands, as staff see it.</summary>
public enum PortalInvitationState
{
    Pending = 0,
    Expired = 1,
    Used = 2,
    Cancelled = 3,

    /// <summary>Three wrong dates of birth: the link no longer works.</summary>
    Locked = 4,
}

/// <summary>The latest portal invitation of a patient at a clinic: where it went (masked), when, and what became of it.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.PortalInvitationStatus")]
public sealed record PortalInvitationStatus(
    [property: Id(0)] Guid Id,
    [property: Id(1)] NoticeChannel Channel,
    [property: Id(2)] string MaskedAddress,
    [property: Id(3)] DateTimeOffset InvitedAt,
    [property: Id(4)] DateTimeOffset ExpiresAt,
    [property: Id(5)] PortalInvitationState State);

/// <summary>The latest invitation (null: never invited) and where a new one could go, for the staff's invite panel.</summary>
/// <param name="EmailOnFile">An invitation by email is possible.</param>
/// <param name="Email">The email address an invitation by email goes to (staff who may invite may edit it too).</param>
/// <param name="SmsAllowed">An invitation by SMS is possible: a mobile on file, SMS consent recorded, and no STOP from that number.</param>
/// <param name="MobileOnFile">A mobile number is on file (with <see cref="SmsAllowed"/> false: consent is missing or the number replied STOP).</param>
[GenerateSerializer, Immutable, Alias("ClinicChat.PortalInvitationOverview")]
public sealed record PortalInvitationOverview(
    [property: Id(0)] PortalInvitationStatus? Latest,
    [property: Id(1)] bool EmailOnFile,
    [property: Id(2)] bool SmsAllowed,
    [property: Id(3)] bool MobileOnFile,
    [property: Id(4)] string? Email);

/// <summary>What an activation link holder may be told, in order of what they most need to hear.</summary>
public enum ActivationStanding
{
    /// <summary>Unknown id or wrong secret: indistinguishable, so a guessed link learns nothing.</summary>
    Unknown = 0,
    Valid = 1,
    Expired = 2,
    Used = 3,
    Cancelled = 4,
    Locked = 5,
    BirthDateMismatch = 6,

    /// <summary>The patient has a portal account already (activated through another link).</summary>
    AlreadyActive = 7,

    /// <summary>
    /// The email's portal account is another person's: a patient of the same clinic (a second record, such as a child's at a
    /// parent's address), or someone with another date of birth. Two people's records are never merged; the link stays unused.
    /// </summary>
    AccountOfAnother = 8,
}

/// <summary>
/// What a valid activation link says about itself. <see cref="PatientId"/>, <see cref="Address"/> and <see cref="PatientName"/> are
/// for the web tier (account set-up); the page shows only the clinic's name and the masked address.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ActivationView")]
public sealed record ActivationView(
    [property: Id(0)] Guid ClinicId,
    [property: Id(1)] string ClinicName,
    [property: Id(2)] Guid PatientId,
    [property: Id(3)] NoticeChannel Channel,
    [property: Id(4)] string Address,
    [property: Id(5)] string PatientName,
    [property: Id(6)] DateTimeOffset ExpiresAt)
{
    public string MaskedAddress => ContactMasks.Mask(Channel, Address);
}

[GenerateSerializer, Immutable, Alias("ClinicChat.ActivationCheck")]
public sealed record ActivationCheck(
    [property: Id(0)] ActivationStanding Standing,
    [property: Id(1)] ActivationView? Invitation = null,
    [property: Id(2)] int AttemptsLeft = 0);

/// <summary>
/// Who the activated account is: a new account for the invited patient, or (linking) the portal account the person
/// already has as a patient of another clinic, whose patient id the clinic's record is merged into.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ActivationAccount")]
public sealed record ActivationAccount(
    [property: Id(0)] string UserId,
    [property: Id(1)] Guid? ExistingPatientId,
    [property: Id(2)] bool ChatOptIn);

/// <summary>
/// The portal invitations of one patient at one clinic (key: patient id, extension: clinic id <c>N</c>). Staff invite, resend,
/// cancel and see the latest here; one at a time, so two staff clicking "Invite" leave one live link, not two.
/// </summary>
[Alias("ClinicChat.Onboarding.IPatientPortalInvitationsGrain")]
public interface IPatientPortalInvitationsGrain : IGrainWithGuidCompoundKey
{
    /// <param name="emailAccountPatientId">
    /// The patient of the portal account that signs in with the patient's email address already (Identity is the web tier's,
    /// which looks it up), or null when none does. For an invitation by email, another person's account there refuses it:
    /// its link could never be activated (<see cref="ActivationStanding.AccountOfAnother"/>).
    /// </param>
    Task<Outcome<PortalInvitationStatus>> InviteAsync(Actor actor, NoticeChannel channel, Guid? emailAccountPatientId);

    /// <summary>A new link on the latest invitation's channel; the old link stops working.</summary>
    /// <param name="emailAccountPatientId">As for <see cref="InviteAsync"/>.</param>
    Task<Outcome<PortalInvitationStatus>> ResendAsync(Actor actor, Guid? emailAccountPatientId);

    Task<Outcome<PortalInvitationStatus>> CancelAsync(Actor actor);

    /// <summary>The latest invitation (none when the patient was never invited) and the channels a new one could use.</summary>
    Task<Outcome<PortalInvitationOverview>> GetOverviewAsync(Actor actor);

    /// <summary>True while a link is pending (unexpired, unused, not cancelled or locked): staff may prepare a thread.</summary>
    Task<bool> HasPendingAsync();
}

/// <summary>
/// One portal invitation, keyed by its id (the first part of its token). Non-reentrant: birth-date checks and the
/// activation run one at a time, so the third wrong date locks the link exactly once and a link activates once.
/// </summary>
[Alias("ClinicChat.Onboarding.IPortalInvitationGrain")]
public interface IPortalInvitationGrain : IGrainWithGuidKey
{
    /// <summary>Stores the invitation, its audit row and the outbox row that sends the link, in one commit; returns its status.</summary>
    Task<Outcome<PortalInvitationStatus>> IssueAsync(PortalInvitationIssue issue);

    Task<ActivationCheck> LookupAsync(string secret);

    /// <summary>Compares the date of birth; a wrong one counts, and the third locks the link (audited).</summary>
    Task<ActivationCheck> CheckBirthDateAsync(string secret, DateOnly birthDate);

    /// <summary>Checks the date of birth once more and, if right, marks the link used and links the patient to the account (one commit).</summary>
    Task<ActivationCheck> ActivateAsync(string secret, DateOnly birthDate, ActivationAccount account);

    /// <summary>Kills an unused link. False when there was nothing to cancel.</summary>
    Task<bool> CancelAsync(string actorId, string auditAction);
}

/// <summary>What the patient's invitations grain asks an invitation grain to issue.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.PortalInvitationIssue")]
public sealed record PortalInvitationIssue(
    [property: Id(0)] Guid ClinicId,
    [property: Id(1)] Guid PatientId,
    [property: Id(2)] string PatientName,
    [property: Id(3)] NoticeChannel Channel,
    [property: Id(4)] string Address,
    [property: Id(5)] string InvitedBy,
    [property: Id(6)] string AuditAction);

public static class PortalInvitations
{
    /// <summary>A link works for a week: long enough to reach someone who checks mail rarely, short enough to die unused.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>The third wrong date of birth locks the link.</summary>
    public const int MaxBirthDateChecks = 3;

    public static IPatientPortalInvitationsGrain For(this IGrainFactory grains, Guid clinicId, Guid patientId) =>
        grains.GetGrain<IPatientPortalInvitationsGrain>(patientId, clinicId.ToString("N"), null);
}
