namespace ClinicChat.Staff;

/// <summary>Where a member stands at one clinic. Invited people are listed as invitations, not members.</summary>
public enum StaffStatus
{
    Active = 0,

    /// <summary>An Admin ended their membership: they cannot reach the clinic, and everything they wrote stays.</summary>
    Deactivated = 1,
}

/// <param name="Roles">The roles held at this clinic (for a deactivated member, those held when deactivated).</param>
/// <param name="LastSignInAt">The latest successful sign-in recorded on the clinic's audit chain; null if none.</param>
/// <param name="TwoStepOn">An active member's account has two-step sign-in on (which an Admin may reset for them).</param>
[GenerateSerializer, Immutable, Alias("ClinicChat.StaffMember")]
public sealed record StaffMember(
    [property: Id(0)] string UserId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string Email,
    [property: Id(3)] IReadOnlyList<StaffRole> Roles,
    [property: Id(4)] StaffStatus Status,
    [property: Id(5)] DateTimeOffset? LastSignInAt,
    [property: Id(6)] bool TwoStepOn = false);

/// <summary>A colleague who chats with the clinic's patients (a clinician or front desk): whom a thread can be assigned to.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.Colleague")]
public sealed record Colleague([property: Id(0)] string UserId, [property: Id(1)] string DisplayName, [property: Id(2)] IReadOnlyList<StaffRole> Roles);

/// <summary>An invitation that may still be accepted (not used, not revoked; possibly expired, which the list shows).</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.StaffInvitation")]
public sealed record StaffInvitation(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Email,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] StaffRole Role,
    [property: Id(4)] DateTimeOffset SentAt,
    [property: Id(5)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Immutable, Alias("ClinicChat.StaffRoster")]
public sealed record StaffRoster([property: Id(0)] IReadOnlyList<StaffMember> Members, [property: Id(1)] IReadOnlyList<StaffInvitation> Invitations);

/// <summary>What an Admin asks for when inviting; checked by the grain after the caller is known to be allowed.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.StaffInvitationRequest")]
public sealed record StaffInvitationRequest([property: Id(0)] string Email, [property: Id(1)] string DisplayName, [property: Id(2)] StaffRole Role);

/// <summary>
/// One clinic's staff administration, keyed by the clinic id: the clinic's Admins list, invite, change roles,
/// deactivate and reactivate. Non-reentrant, so every change of one clinic's staff is decided one at a time and the
/// rule that a clinic keeps an Admin cannot be raced past by two Admins demoting each other at once. The
/// memberships themselves are the members' Identity claims (<c>cc:membership</c>); a change commits with its audit
/// row, and then every session of the member ends, so the change reaches their next request (they sign in again).
/// Anyone who is not an Admin of the clinic is refused: its other staff with 403, everyone else as not found.
/// </summary>
[Alias("ClinicChat.Staff.IClinicStaffGrain")]
public interface IClinicStaffGrain : IGrainWithGuidKey
{
    Task<Outcome<StaffRoster>> ListAsync(Actor actor);

    /// <summary>
    /// The clinic's active clinicians and front desk, by name: whom a thread can be assigned to (and, later, mentioned).
    /// For those who chat at the clinic themselves; anyone else is refused as not found.
    /// </summary>
    Task<Outcome<IReadOnlyList<Colleague>>> ListColleaguesAsync(Actor actor);

    /// <summary>Issues a 7-day invitation and queues its email in the same commit. <c>already_member</c> for a member or a pending invitee.</summary>
    Task<Outcome<StaffInvitation>> InviteAsync(Actor actor, StaffInvitationRequest request);

    /// <summary>A new link (and 7 days) for a pending invitation, emailed; the old link stops working.</summary>
    Task<Outcome<StaffInvitation>> ResendAsync(Actor actor, Guid invitationId);

    Task<Outcome<StaffInvitation>> RevokeAsync(Actor actor, Guid invitationId);

    /// <summary>The member holds exactly <paramref name="role"/> at this clinic afterwards. <c>last_admin</c> if that would leave no Admin.</summary>
    Task<Outcome<StaffMember>> ChangeRoleAsync(Actor actor, string userId, StaffRole role);

    /// <summary>Ends the membership and every session of the member. <c>last_admin</c> for the clinic's only Admin.</summary>
    Task<Outcome<StaffMember>> DeactivateAsync(Actor actor, string userId);

    /// <summary>Gives a deactivated member back the roles they held.</summary>
    Task<Outcome<StaffMember>> ReactivateAsync(Actor actor, string userId);

    /// <summary>
    /// Whether <paramref name="actor"/> may turn off the two-step sign-in of the active member <paramref name="userId"/>
    /// (who lost their phone and their recovery codes): the clinic's Admins may, for a member other than themselves (they
    /// have their own Security page). Refusals are audited like every staff change's; the reset itself is the web tier's,
    /// where the accounts are.
    /// </summary>
    Task<Outcome<StaffMember>> MayResetTwoStepAsync(Actor actor, string userId);

    /// <summary>
    /// After the web tier turned <paramref name="member"/>'s two-step sign-in off: the reset in the audit chain of every
    /// clinic in <paramref name="memberClinics"/> (so each clinic's Admins see another clinic's Admin did it), and an
    /// email telling the member, in one commit.
    /// </summary>
    /// <remarks>
    /// Records what <see cref="MayResetTwoStepAsync"/> allowed a moment before (with <paramref name="member"/> as it
    /// answered); it decides nothing itself, since the account has already changed by then and a refusal here would
    /// leave that change unrecorded.
    /// </remarks>
    Task RecordTwoStepResetAsync(Actor actor, StaffMember member, IReadOnlyList<Guid> memberClinics);
}
