using ClinicChat.Staff;

namespace ClinicChat.Tests.Staff;

public sealed class StaffRulesTests
{
    private static StaffMember Member(string id, StaffStatus status, params StaffRole[] roles) => new(id, id, $"{id}@clinic.test", roles, status, null);

    [Fact]
    public void TheOnlyAdminCanNeitherBeDemotedNorDeactivated()
    {
        IReadOnlyList<StaffMember> members = [Member("olga", StaffStatus.Active, StaffRole.Admin), Member("alice", StaffStatus.Active, StaffRole.Clinician)];

        Assert.Equal(ChatErrorCode.LastAdmin, StaffRules.LastAdminProblem(members, "olga", [StaffRole.Clinician])?.Code);
        Assert.Equal(ChatErrorCode.LastAdmin, StaffRules.LastAdminProblem(members, "olga", [])?.Code);
    }

    [Fact]
    public void AnAdminWithAnotherActiveAdminBesideThemMayBeDemoted()
    {
        IReadOnlyList<StaffMember> members = [Member("olga", StaffStatus.Active, StaffRole.Admin), Member("sam", StaffStatus.Active, StaffRole.Admin)];

        Assert.Null(StaffRules.LastAdminProblem(members, "olga", [StaffRole.Billing]));
    }

    [Fact]
    public void ADeactivatedAdminDoesNotCountAsTheClinicsOtherAdmin()
    {
        IReadOnlyList<StaffMember> members = [Member("olga", StaffStatus.Active, StaffRole.Admin), Member("sam", StaffStatus.Deactivated, StaffRole.Admin)];

        Assert.Equal(ChatErrorCode.LastAdmin, StaffRules.LastAdminProblem(members, "olga", [])?.Code);
    }

    [Fact]
    public void ChangesToMembersWhoAreNotAdminsNeverTouchTheRule()
    {
        IReadOnlyList<StaffMember> members = [Member("olga", StaffStatus.Active, StaffRole.Admin), Member("alice", StaffStatus.Active, StaffRole.Clinician)];

        Assert.Null(StaffRules.LastAdminProblem(members, "alice", []));
        Assert.Null(StaffRules.LastAdminProblem(members, "olga", [StaffRole.Admin]));
    }

    [Fact]
    public void RolesRoundTripThroughTheirStoredFormAndUnknownNamesAreDropped()
    {
        Assert.Equal("Clinician,Admin", StaffRules.FormatRoles([StaffRole.Admin, StaffRole.Clinician]));
        Assert.Equal([StaffRole.Clinician, StaffRole.Admin], StaffRules.ParseRoles("Admin,Clinician,Superuser"));
        Assert.False(StaffRules.IsRole((StaffRole)(-1)));
    }
}
