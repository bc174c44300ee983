namespace ClinicChat.Onboarding.Portal;

/// <summary>What a stored portal invitation is worth at a given moment. Pure: tested without a silo.</summary>
public static class PortalInvitationRules
{
    /// <summary>Staff's view: a used link says so even after it would have expired; a lock or cancellation likewise.</summary>
    public static PortalInvitationState StateOf(StoredPortalInvitation invitation, DateTimeOffset now) =>
        invitation.UsedAt is not null ? PortalInvitationState.Used
        : invitation.LockedAt is not null ? PortalInvitationState.Locked
        : invitation.CancelledAt is not null ? PortalInvitationState.Cancelled
        : now >= invitation.ExpiresAt ? PortalInvitationState.Expired
        : PortalInvitationState.Pending;

    /// <summary>The link holder's view: a wrong secret learns nothing, whatever became of the invitation.</summary>
    public static ActivationStanding StandingOf(StoredPortalInvitation? invitation, string secret, DateTimeOffset now) =>
        invitation is null || !InvitationRules.Matches(secret, invitation.TokenHash) ? ActivationStanding.Unknown
        : StateOf(invitation, now) switch
        {
            PortalInvitationState.Used => ActivationStanding.Used,
            PortalInvitationState.Locked => ActivationStanding.Locked,
            PortalInvitationState.Cancelled => ActivationStanding.Cancelled,
            PortalInvitationState.Expired => ActivationStanding.Expired,
            _ => ActivationStanding.Valid,
        };

    public static int AttemptsLeft(StoredPortalInvitation invitation) => Math.Max(0, PortalInvitations.MaxBirthDateChecks - invitation.FailedChecks);

    public static PortalInvitationStatus StatusOf(StoredPortalInvitation invitation, DateTimeOffset now) => new(
        invitation.Id, invitation.Channel, Notices.ContactMasks.Mask(invitation.Channel, invitation.Address), invitation.InvitedAt, invitation.ExpiresAt, StateOf(invitation, now));
}
