namespace ClinicChat.Onboarding;

/// <summary>What an invitation makes its holder: a staff role at its clinic, or an operator (no clinic).</summary>
public enum InviteeRole
{
    Clinician = 0,
    FrontDesk = 1,
    Billing = 2,
    Admin = 3,
    Operator = 4,

    /// <summary>A patient invited to the portal by a clinic (issue 20): the invitation names the patient, and activation proves the date of birth.</summary>
    Patient = 5,
}

/// <summary>
/// A one-time invitation: an operator inviting a clinic's first Admin or another operator, and (issue
/// 20) a clinic's Admin inviting staff. <paramref name="ClinicId"/> is null exactly for operators.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.InvitationRequest")]
public sealed record InvitationRequest(
    [property: Id(0)] Guid? ClinicId,
    [property: Id(1)] string Email,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] InviteeRole Role,
    [property: Id(4)] string InvitedBy,
    [property: Id(5)] TimeSpan Lifetime)
{
    /// <summary>However it is configured, a link never works for longer than this.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);
}

/// <summary>The link's token, returned once when issued: only a hash of its secret is stored.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.IssuedInvitation")]
public sealed record IssuedInvitation([property: Id(0)] Guid Id, [property: Id(1)] string Token, [property: Id(2)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Immutable, Alias("ClinicChat.InvitationView")]
public sealed record InvitationView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid? ClinicId,
    [property: Id(2)] string? ClinicName,
    [property: Id(3)] string Email,
    [property: Id(4)] string DisplayName,
    [property: Id(5)] InviteeRole Role,
    [property: Id(6)] DateTimeOffset ExpiresAt);

public enum InvitationStanding
{
    /// <summary>Unknown id or wrong secret: indistinguishable, so a guessed link learns nothing.</summary>
    Unknown = 0,
    Valid = 1,
    Expired = 2,
    Used = 3,
    Revoked = 4,

    /// <summary>The clinic it is for was disabled after the invitation was sent.</summary>
    ClinicDisabled = 5,

    /// <summary>The invitation was sent again since: this link stopped working, the newer one works.</summary>
    Replaced = 6,
}

/// <summary>What a token holder learns: the invitation only while it is valid.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.InvitationCheck")]
public sealed record InvitationCheck([property: Id(0)] InvitationStanding Standing, [property: Id(1)] InvitationView? Invitation = null);

/// <summary>
/// One invitation, keyed by its id (the first part of its token). Non-reentrant, so two redemptions
/// of one link race through this grain one at a time and exactly one of them wins.
/// </summary>
[Alias("ClinicChat.Onboarding.IInvitationGrain")]
public interface IInvitationGrain : IGrainWithGuidKey
{
    /// <summary>Stores the invitation (and its audit row) and returns the token, once. Refused for an unknown or disabled clinic.</summary>
    Task<Outcome<IssuedInvitation>> IssueAsync(InvitationRequest request);

    /// <summary>
    /// Issues a staff invitation and queues its email (<c>NoticeTemplates.StaffInvitation</c>, the link's token in the
    /// outbox row's code) in one commit with the invitation row and its <c>staff.invited</c> audit row.
    /// </summary>
    Task<Outcome<IssuedInvitation>> IssueByEmailAsync(InvitationRequest request);

    /// <summary>
    /// A new secret and a new expiry for an invitation that is neither used nor revoked, emailed like the first one,
    /// in one commit with its <c>staff.invitation_resent</c> audit row: the old link stops working at once.
    /// </summary>
    Task<Outcome<IssuedInvitation>> ReissueByEmailAsync(string actorId, TimeSpan lifetime);

    Task<InvitationCheck> CheckAsync(string secret);

    /// <summary>Marks a valid invitation used by <paramref name="userId"/>; any other standing is returned unchanged.</summary>
    Task<InvitationCheck> RedeemAsync(string secret, string userId);

    /// <summary>Withdraws an unused invitation. False when there was nothing to revoke.</summary>
    Task<bool> RevokeAsync(string actorId);
}

/// <summary>The token of an invitation link: <c>{id:N}.{secret}</c>, where only the secret's hash is stored.</summary>
public static class InvitationToken
{
    public static string Format(Guid id, string secret) => $"{id:N}.{secret}";

    public static bool TryParse(string? token, out Guid id, out string secret)
    {
        id = Guid.Empty;
        secret = string.Empty;
        if (token is not { Length: > 33 and <= 128 } || token[32] != '.' || !Guid.TryParseExact(token.AsSpan(0, 32), "N", out id))
        {
            return false;
        }

        secret = token[33..];
        return true;
    }

    public static StaffRole? StaffRoleOf(InviteeRole role) => role is InviteeRole.Operator or InviteeRole.Patient ? null : (StaffRole)(int)role;
}
