namespace ClinicChat.Staff;

/// <summary>The rules of a clinic's staff administration, without a silo.</summary>
public static class StaffRules
{
    /// <summary>How long a staff invitation link works (issue 20: seven days).</summary>
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    /// <summary>
    /// A clinic must always keep an active Admin: refused when <paramref name="userId"/> is an Admin now, would not be
    /// one with <paramref name="rolesAfter"/> (empty: deactivated), and no other active member is an Admin.
    /// </summary>
    public static ChatError? LastAdminProblem(IReadOnlyList<StaffMember> members, string userId, IReadOnlyList<StaffRole> rolesAfter)
    {
        var target = members.FirstOrDefault(m => m.UserId == userId && m.Status == StaffStatus.Active);
        var losesAdmin = target is not null && target.Roles.Contains(StaffRole.Admin) && !rolesAfter.Contains(StaffRole.Admin);
        var otherAdmins = members.Count(m => m.UserId != userId && m.Status == StaffStatus.Active && m.Roles.Contains(StaffRole.Admin));
        return losesAdmin && otherAdmins == 0
            ? new ChatError(ChatErrorCode.LastAdmin, "This is the clinic's only Admin: make someone else an Admin first.")
            : null;
    }

    /// <summary>A role a staff member can hold (a number sent as a role is refused, not stored).</summary>
    public static bool IsRole(StaffRole role) => Enum.IsDefined(role);

    /// <summary>Stored as comma-separated names (<c>Clinician,Admin</c>) in <c>staff_deactivations.roles</c>.</summary>
    public static string FormatRoles(IEnumerable<StaffRole> roles) => string.Join(',', roles.Order());

    public static IReadOnlyList<StaffRole> ParseRoles(string roles) =>
        [.. roles.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => Enum.TryParse<StaffRole>(r, out var role) ? role : (StaffRole?)null).OfType<StaffRole>().Order()];

    /// <summary>The membership claim's value (<c>{clinicId}:{role}</c>), the same as the web tier's <c>ChatClaims.MembershipClaim</c>.</summary>
    public static string MembershipValue(Guid clinicId, StaffRole role) => $"{clinicId:D}:{role}";

    /// <summary>The role a <see cref="MembershipValue"/> names; null for a role this build does not know.</summary>
    public static StaffRole? RoleOf(string membershipValue) =>
        Enum.TryParse<StaffRole>(membershipValue.AsSpan(membershipValue.IndexOf(':', StringComparison.Ordinal) + 1), out var role) ? role : null;
}
