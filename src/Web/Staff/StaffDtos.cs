using ClinicChat.Staff;

namespace ClinicChat.Web.Staff;

public sealed record InviteStaffRequest(string? Email, string? DisplayName, string? Role);

public sealed record ChangeStaffRoleRequest(string? Role);

/// <param name="Roles">Clinician, FrontDesk, Billing, Admin.</param>
/// <param name="Status">active or deactivated.</param>
/// <param name="TwoStepOn">Two-step sign-in is on for the member's account: an Admin may reset it (a lost phone).</param>
public sealed record StaffMemberDto(string UserId, string DisplayName, string Email, IReadOnlyList<string> Roles, string Status, DateTimeOffset? LastSignInAt, bool TwoStepOn)
{
    public static StaffMemberDto From(StaffMember member) => new(
        member.UserId, member.DisplayName, member.Email, [.. member.Roles.Select(r => r.ToString())],
        member.Status == StaffStatus.Active ? "active" : "deactivated", member.LastSignInAt, member.TwoStepOn);
}

/// <param name="Expired">Past its expiry: the link no longer works, and the Admin may resend it.</param>
public sealed record StaffInvitationDto(Guid Id, string Email, string DisplayName, string Role, DateTimeOffset SentAt, DateTimeOffset ExpiresAt, bool Expired)
{
    public static StaffInvitationDto From(StaffInvitation invitation, DateTimeOffset now) => new(
        invitation.Id, invitation.Email, invitation.DisplayName, invitation.Role.ToString(), invitation.SentAt, invitation.ExpiresAt, now >= invitation.ExpiresAt);
}

public sealed record StaffRosterDto(IReadOnlyList<StaffMemberDto> Members, IReadOnlyList<StaffInvitationDto> Invitations)
{
    public static StaffRosterDto From(StaffRoster roster, DateTimeOffset now) =>
        new([.. roster.Members.Select(StaffMemberDto.From)], [.. roster.Invitations.Select(i => StaffInvitationDto.From(i, now))]);
}

public static class StaffRoleNames
{
    /// <summary>
    /// A role by its name only (a number would name any value): anything else becomes a value the grain refuses as
    /// invalid after it has checked the caller, so a refused caller learns nothing from a bad body.
    /// </summary>
    public static StaffRole Parse(string? role) =>
        role is { Length: > 0 } && !char.IsAsciiDigit(role[0]) && role[0] != '-' && Enum.TryParse<StaffRole>(role, ignoreCase: false, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : (StaffRole)(-1);
}
