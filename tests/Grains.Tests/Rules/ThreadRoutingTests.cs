namespace ClinicChat.Tests.Rules;

/// <summary>The one routing rule: who takes part in a thread, by role and the thread's topic.</summary>
public sealed class ThreadRoutingTests
{
    private static readonly Guid Clinic = Guid.NewGuid();
    private static readonly Guid OtherClinic = Guid.NewGuid();

    [Theory]
    [InlineData(StaffRole.Clinician, ThreadTopic.None, true)]
    [InlineData(StaffRole.Clinician, ThreadTopic.Billing, true)]
    [InlineData(StaffRole.FrontDesk, ThreadTopic.Appointments, true)]
    [InlineData(StaffRole.FrontDesk, ThreadTopic.CareTeam, true)]
    [InlineData(StaffRole.Billing, ThreadTopic.Billing, true)]
    [InlineData(StaffRole.Billing, ThreadTopic.None, false)]
    [InlineData(StaffRole.Billing, ThreadTopic.Appointments, false)]
    [InlineData(StaffRole.Admin, ThreadTopic.None, false)]
    [InlineData(StaffRole.Admin, ThreadTopic.Billing, false)]
    public void ARoleTakesPartInAThreadAboutATopicOrNot(StaffRole role, ThreadTopic topic, bool takesPart)
    {
        Assert.Equal(takesPart, ThreadTopics.RoutesTo(role, topic));
        Assert.Equal(takesPart, Staff(new ClinicMembership(Clinic, role)).RoutesTo(Clinic, topic));
    }

    [Fact]
    public void ARoleAtAnotherClinicRoutesNothingHere()
    {
        var billingElsewhere = Staff(new ClinicMembership(OtherClinic, StaffRole.Billing), new ClinicMembership(OtherClinic, StaffRole.Clinician));

        Assert.False(billingElsewhere.RoutesTo(Clinic, ThreadTopic.Billing));
        Assert.True(billingElsewhere.RoutesTo(OtherClinic, ThreadTopic.None));
    }

    [Fact]
    public void APatientIsNeverRoutedAsStaff()
    {
        var patient = new Actor("user-1", ActorKind.Patient, "Pat", Guid.NewGuid(), [new ClinicMembership(Clinic, StaffRole.Billing)]);

        Assert.False(patient.RoutesTo(Clinic, ThreadTopic.Billing));
    }

    private static Actor Staff(params ClinicMembership[] memberships) => new("staff-1", ActorKind.Staff, "Sam Staff", null, memberships);
}
