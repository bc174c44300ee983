namespace ClinicChat.Tests.Rules;

public sealed class ActorTests
{
    private static readonly Guid Clinic = Guid.NewGuid();
    private static readonly Guid OtherClinic = Guid.NewGuid();

    [Theory]
    [InlineData(StaffRole.Clinician)]
    [InlineData(StaffRole.FrontDesk)]
    public void CliniciansAndFrontDeskChatForTheirClinic(StaffRole role)
    {
        Assert.True(Staff(new ClinicMembership(Clinic, role)).CanChatAt(Clinic));
    }

    [Theory]
    [InlineData(StaffRole.Billing)]
    [InlineData(StaffRole.Admin)]
    public void BillingAndAdminNeverChatWithPatients(StaffRole role)
    {
        var actor = Staff(new ClinicMembership(Clinic, role));

        Assert.False(actor.CanChatAt(Clinic));
        Assert.Empty(actor.ChatClinics);
    }

    [Fact]
    public void AClinicianOfOneClinicCannotChatForAnother()
    {
        Assert.False(Staff(new ClinicMembership(OtherClinic, StaffRole.Clinician)).CanChatAt(Clinic));
    }

    [Fact]
    public void ARoleAtOneClinicDoesNotCarryOverToAnother()
    {
        var actor = Staff(new ClinicMembership(Clinic, StaffRole.Billing), new ClinicMembership(OtherClinic, StaffRole.Clinician));

        Assert.False(actor.CanChatAt(Clinic));
        Assert.True(actor.CanChatAt(OtherClinic));
        Assert.Equal([OtherClinic], actor.ChatClinics);
    }

    [Fact]
    public void APatientNeverChatsAsStaffEvenWithAMembership()
    {
        var patientId = Guid.NewGuid();
        var actor = new Actor("user-1", ActorKind.Patient, "Pat", patientId, [new ClinicMembership(Clinic, StaffRole.Clinician)]);

        Assert.False(actor.CanChatAt(Clinic));
        Assert.Empty(actor.ChatClinics);
        Assert.True(actor.IsPatient(patientId));
    }

    [Fact]
    public void StaffAreNeverTreatedAsAPatient()
    {
        var patientId = Guid.NewGuid();
        var actor = new Actor("staff-1", ActorKind.Staff, "Sam", patientId, [new ClinicMembership(Clinic, StaffRole.Clinician)]);

        Assert.False(actor.IsPatient(patientId));
    }

    private static Actor Staff(params ClinicMembership[] memberships) => new("staff-1", ActorKind.Staff, "Sam Staff", null, memberships);
}
