using ClinicChat.Onboarding;
using ClinicChat.Staff;
using ClinicChat.Tests.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClinicChat.Tests.Staff;

/// <summary>The staff store's SQL (Identity's claim rows, deactivations, invitations, last sign-in) on PostgreSQL.</summary>
[Trait("Category", "Slow")] // a throwaway PostgreSQL server
[Collection(PostgresClusterCollection.Name)]
public sealed class StaffStoreOnPostgresTests(PostgresClusterFixture fixture)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task MembersRolesDeactivationsInvitationsAndLastSignInsReadAndWriteOnPostgres()
    {
        var database = await fixture.MigratedDatabaseAsync("staff_");
        var store = new StaffStore(database);
        await using var writer = new GroupCommitWriter(database, 100, NullLogger<GroupCommitWriter>.Instance);
        var (clinicId, olga, casey) = (Guid.NewGuid(), Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        await AddUserAsync(database, olga, "Olga Ortiz", "olga@clinic.test");
        await AddUserAsync(database, casey, "Casey Clinician", "casey@clinic.test");
        var invitationId = Guid.NewGuid();

        await writer.WriteAsync(StaffStore.SetRoles(clinicId, olga, [StaffRole.Admin])
            .Then(StaffStore.SetRoles(clinicId, casey, [StaffRole.Clinician, StaffRole.FrontDesk]))
            .Then(AuditLog.Append(Now, new AuditEvent(AuditActions.SignedIn, olga, clinicId, null, null, AuditOutcomes.Success, null)))
            .Then(OnboardingStore.CreateInvitation(invitationId, new InvitationRequest(clinicId, "bill@clinic.test", "Bill", InviteeRole.Billing, olga, TimeSpan.FromDays(7)), "hash", Now, Now.AddDays(7)))
            .Then(OnboardingStore.MarkEmailed(invitationId, Now))
            .Then(OnboardingStore.Reissue(invitationId, "new-hash", Now.AddHours(1), Now.AddDays(8))));
        var members = await store.ListMembersAsync(clinicId);
        var invitations = await store.ListInvitationsAsync(clinicId);
        await writer.WriteAsync(StaffStore.SetRoles(clinicId, casey, []).Then(StaffStore.RememberDeactivated(clinicId, casey, [StaffRole.Clinician], Now, olga)));
        var afterDeactivation = await store.ListMembersAsync(clinicId);
        await writer.WriteAsync(StaffStore.SetRoles(clinicId, casey, [StaffRole.Clinician]).Then(StaffStore.ForgetDeactivated(clinicId, casey)));

        Assert.Equal([(olga, "Admin", Now), (casey, "Clinician,FrontDesk", (DateTimeOffset?)null)],
            members.Select(m => (m.UserId, StaffRules.FormatRoles(m.Roles), m.LastSignInAt)).OrderBy(m => m.UserId == casey));
        Assert.Equal((invitationId, StaffRole.Billing, Now.AddHours(1), Now.AddDays(8)), invitations.Select(i => (i.Id, i.Role, i.SentAt, i.ExpiresAt)).Single());
        Assert.Equal(StaffStatus.Deactivated, afterDeactivation.Single(m => m.UserId == casey).Status);
        Assert.Equal([StaffStatus.Active, StaffStatus.Active], (await store.ListMembersAsync(clinicId)).Select(m => m.Status));
        Assert.True(await store.HoldsRoleAsync(clinicId, olga, StaffRole.Admin));
        Assert.False(await store.HoldsRoleAsync(clinicId, casey, StaffRole.Admin));
        Assert.Equal(casey, await store.UserIdByEmailAsync("Casey@Clinic.test"));
    }

    private static async Task AddUserAsync(ChatDatabase database, string id, string name, string email)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            INSERT INTO "AspNetUsers" ("Id", "DisplayName", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed",
                                       "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
            VALUES (@id, @name, @email, upper(@email), @email, upper(@email), true, false, false, true, 0)
            """;
        foreach (var (key, value) in new[] { ("@id", id), ("@name", name), ("@email", email) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = key;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }
}
