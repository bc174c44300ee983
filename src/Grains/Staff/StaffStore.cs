using System.Data.Common;
using ClinicChat.Notices;
using ClinicChat.Onboarding;

namespace ClinicChat.Staff;

/// <summary>
/// SQL for a clinic's staff: memberships are Identity's user claims (<c>cc:membership = {clinicId}:{Role}</c>), read
/// and changed here in the same database and in the same commit as the change's audit row; deactivated members are
/// remembered in <c>staff_deactivations</c>; pending invitations are the clinic's unused, unrevoked staff invitations.
/// </summary>
public sealed class StaffStore(ChatDatabase database)
{
    private const string ClaimType = NoticeStore.MembershipClaimType;

    public async Task<IReadOnlyList<StaffMember>> ListMembersAsync(Guid clinicId)
    {
        await using var connection = await database.OpenAsync();
        var signIns = await LastSignInsAsync(connection, clinicId);
        var active = new Dictionary<string, (string Name, string Email, bool TwoStepOn, List<StaffRole> Roles)>();
        await using (var command = connection.Command(
            """
            SELECT u."Id" AS user_id, u."DisplayName" AS name, u."Email" AS email, u."TwoFactorEnabled" AS two_step, c."ClaimValue" AS membership
              FROM "AspNetUserClaims" c JOIN "AspNetUsers" u ON u."Id" = c."UserId"
             WHERE c."ClaimType" = @type AND c."ClaimValue" LIKE @prefix
            """))
        {
            await using var reader = await command.With("@type", ClaimType).With("@prefix", $"{clinicId:D}:%").ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var userId = reader.GetString(reader.GetOrdinal("user_id"));
                if (!active.TryGetValue(userId, out var member))
                {
                    member = (reader.GetString(reader.GetOrdinal("name")), reader.GetNullableString("email") ?? string.Empty, reader.GetBoolean(reader.GetOrdinal("two_step")), []);
                    active[userId] = member;
                }

                if (StaffRules.RoleOf(reader.GetString(reader.GetOrdinal("membership"))) is { } role)
                {
                    member.Roles.Add(role);
                }
            }
        }

        var members = active.Select(a => new StaffMember(a.Key, a.Value.Name, a.Value.Email, [.. a.Value.Roles.Distinct().Order()], StaffStatus.Active, LastOf(signIns, a.Key), a.Value.TwoStepOn))
            .ToList();
        await using (var command = connection.Command(
            """
            SELECT d.user_id, d.roles, u."DisplayName" AS name, u."Email" AS email
              FROM staff_deactivations d JOIN "AspNetUsers" u ON u."Id" = d.user_id
             WHERE d.clinic_id = @clinic
            """))
        {
            await using var reader = await command.With("@clinic", clinicId).ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var userId = reader.GetString(reader.GetOrdinal("user_id"));
                // Invited again and accepted: a member again, whatever the old row says.
                if (!active.ContainsKey(userId))
                {
                    members.Add(new StaffMember(userId, reader.GetString(reader.GetOrdinal("name")), reader.GetNullableString("email") ?? string.Empty,
                        StaffRules.ParseRoles(reader.GetString(reader.GetOrdinal("roles"))), StaffStatus.Deactivated, LastOf(signIns, userId)));
                }
            }
        }

        return [.. members.OrderBy(m => m.Status).ThenBy(m => m.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.UserId, StringComparer.Ordinal)];
    }

    /// <summary>Staff invitations of the clinic that are neither used nor revoked (expired ones too: the Admin may resend them).</summary>
    /// <summary>The clinic's active clinicians and front desk (those who chat with its patients), by name.</summary>
    public async Task<IReadOnlyList<Colleague>> ListColleaguesAsync(Guid clinicId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """
            SELECT u."Id" AS user_id, u."DisplayName" AS name, c."ClaimValue" AS membership
              FROM "AspNetUserClaims" c JOIN "AspNetUsers" u ON u."Id" = c."UserId"
             WHERE c."ClaimType" = @type AND c."ClaimValue" IN (@clinician, @frontDesk, @billing)
            """);
        command.With("@type", ClaimType).With("@clinician", StaffRules.MembershipValue(clinicId, StaffRole.Clinician))
            .With("@frontDesk", StaffRules.MembershipValue(clinicId, StaffRole.FrontDesk)).With("@billing", StaffRules.MembershipValue(clinicId, StaffRole.Billing));
        var colleagues = new Dictionary<string, (string Name, List<StaffRole> Roles)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var userId = reader.GetString(reader.GetOrdinal("user_id"));
            if (!colleagues.TryGetValue(userId, out var colleague))
            {
                colleague = (reader.GetString(reader.GetOrdinal("name")), []);
                colleagues[userId] = colleague;
            }

            // The query matched one of the three roles asked for.
            colleague.Roles.Add(StaffRules.RoleOf(reader.GetString(reader.GetOrdinal("membership")))!.Value);
        }

        return [.. colleagues.Select(c => new Colleague(c.Key, c.Value.Name, [.. c.Value.Roles.Order()])).OrderBy(c => c.DisplayName, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>
    /// The clinic's pending staff invitations, oldest first. The first three terms are the partial index
    /// <c>ix_invitations_staff_pending</c>'s own (SQLite uses it only for a query that names them): without it the clinic's
    /// patients' portal invitations, thousands of them, were read to find a handful.
    /// </summary>
    public async Task<IReadOnlyList<StaffInvitation>> ListInvitationsAsync(Guid clinicId)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """
            SELECT id, email, display_name, role, COALESCE(sent_at_ms, created_at_ms) AS sent_at_ms, expires_at_ms
              FROM invitations
             WHERE role <> 'Patient' AND used_at_ms IS NULL AND revoked_at_ms IS NULL
               AND clinic_id = @clinic AND role IN ('Clinician', 'FrontDesk', 'Billing', 'Admin')
             ORDER BY created_at_ms, id
            """);
        await using var reader = await command.With("@clinic", clinicId).ExecuteReaderAsync();
        var invitations = new List<StaffInvitation>();
        while (await reader.ReadAsync())
        {
            invitations.Add(new StaffInvitation(
                reader.GetGuid("id"),
                reader.GetString(reader.GetOrdinal("email")),
                reader.GetString(reader.GetOrdinal("display_name")),
                InvitationToken.StaffRoleOf(Enum.Parse<InviteeRole>(reader.GetString(reader.GetOrdinal("role"))))!.Value,
                reader.GetTime("sent_at_ms"),
                reader.GetTime("expires_at_ms")));
        }

        return invitations;
    }

    /// <summary>Whether the stored memberships (not a session's cookie, which may predate a change) give the user this role here.</summary>
    public async Task<bool> HoldsRoleAsync(Guid clinicId, string userId, StaffRole role)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command(
            """SELECT COUNT(*) FROM "AspNetUserClaims" WHERE "UserId" = @user AND "ClaimType" = @type AND "ClaimValue" = @value""");
        var count = await command.With("@user", userId).With("@type", ClaimType).With("@value", StaffRules.MembershipValue(clinicId, role)).ExecuteScalarAsync();
        return Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>The account of an email address (Identity's normalised form: upper case), if there is one.</summary>
    public async Task<string?> UserIdByEmailAsync(string email)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.Command("""SELECT "Id" FROM "AspNetUsers" WHERE "NormalizedEmail" = @email""");
        return await command.With("@email", email.ToUpperInvariant()).ExecuteScalarAsync() as string;
    }

    /// <summary>The member holds exactly <paramref name="roles"/> at the clinic afterwards (none: no membership).</summary>
    public static WriteUnit SetRoles(Guid clinicId, string userId, IReadOnlyList<StaffRole> roles) => new(async scope =>
    {
        var delete = scope.Command(
            """DELETE FROM "AspNetUserClaims" WHERE "UserId" = @user AND "ClaimType" = @type AND "ClaimValue" LIKE @prefix""");
        await delete.With("@user", userId).With("@type", ClaimType).With("@prefix", $"{clinicId:D}:%").ExecuteNonQueryAsync();

        foreach (var role in roles)
        {
            var insert = scope.Command(
                """INSERT INTO "AspNetUserClaims" ("UserId", "ClaimType", "ClaimValue") VALUES (@user, @type, @value)""");
            await insert.With("@user", userId).With("@type", ClaimType).With("@value", StaffRules.MembershipValue(clinicId, role)).ExecuteNonQueryAsync();
        }
    });

    public static WriteUnit RememberDeactivated(Guid clinicId, string userId, IReadOnlyList<StaffRole> roles, DateTimeOffset at, string by) => new(async scope =>
    {
        var command = scope.Command(
            """
            INSERT INTO staff_deactivations (clinic_id, user_id, roles, deactivated_at_ms, deactivated_by) VALUES (@clinic, @user, @roles, @at, @by)
            ON CONFLICT (clinic_id, user_id) DO UPDATE SET roles = excluded.roles, deactivated_at_ms = excluded.deactivated_at_ms, deactivated_by = excluded.deactivated_by
            """);
        await command.With("@clinic", clinicId).With("@user", userId).With("@roles", StaffRules.FormatRoles(roles)).With("@at", at).With("@by", by)
            .ExecuteNonQueryAsync();
    });

    public static WriteUnit ForgetDeactivated(Guid clinicId, string userId) => new(async scope =>
    {
        var command = scope.Command("DELETE FROM staff_deactivations WHERE clinic_id = @clinic AND user_id = @user");
        await command.With("@clinic", clinicId).With("@user", userId).ExecuteNonQueryAsync();
    });

    /// <summary>Null for a member who never signed in (the dictionary's default would be year 1).</summary>
    private static DateTimeOffset? LastOf(Dictionary<string, DateTimeOffset> signIns, string userId) =>
        signIns.TryGetValue(userId, out var at) ? at : null;

    /// <summary>Each member's latest successful sign-in on the clinic's chain (through the partial index <c>ix_audit_log_signins</c>).</summary>
    private static async Task<Dictionary<string, DateTimeOffset>> LastSignInsAsync(DbConnection connection, Guid clinicId)
    {
        // The literals match the partial index's WHERE, so the planner may use it.
        await using var command = connection.Command(
            $"""
            SELECT actor_id, MAX(occurred_at_ms) AS last_at_ms FROM audit_log
             WHERE clinic_id = @clinic AND action = '{AuditActions.SignedIn}' AND outcome = '{AuditOutcomes.Success}'
             GROUP BY actor_id
            """);
        await using var reader = await command.With("@clinic", clinicId).ExecuteReaderAsync();
        var signIns = new Dictionary<string, DateTimeOffset>();
        while (await reader.ReadAsync())
        {
            signIns[reader.GetString(reader.GetOrdinal("actor_id"))] = reader.GetTime("last_at_ms");
        }

        return signIns;
    }
}
