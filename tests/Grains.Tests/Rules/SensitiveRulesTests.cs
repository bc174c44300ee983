using ClinicChat.Records;

namespace ClinicChat.Tests.Rules;

public sealed class SensitiveRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 14, 0, 0, TimeSpan.Zero);

    private static readonly MessageView Sensitive = new(
        Guid.NewGuid(), 1, "c1", "alice", SenderKind.Staff, "Alice", "Results: benign", Now,
        [new AttachmentRef(Guid.NewGuid(), "application/pdf", 10, "results.pdf")], null, Sensitive: true);

    private static Actor Patient(DateTimeOffset? until) => new("pat", ActorKind.Patient, "Pat", Guid.NewGuid(), [], until);

    [Fact]
    public void APatientWithoutAWindowGetsALockedMessageWithNothingInIt()
    {
        var seen = SensitiveRules.ForReader(Sensitive, Patient(null), Now);

        Assert.Equal((true, "", null), (seen.Locked, seen.Text, seen.Attachments));
    }

    [Fact]
    public void APatientInsideTheWindowGetsTheMessageAndLosesItTheMomentTheWindowEnds()
    {
        var patient = Patient(Now.AddMinutes(5));

        Assert.Same(Sensitive, SensitiveRules.ForReader(Sensitive, patient, Now.AddMinutes(4)));
        Assert.True(SensitiveRules.ForReader(Sensitive, patient, Now.AddMinutes(5)).Locked);
    }

    [Fact]
    public void StaffAlwaysSeeItAndPushesToPatientsAreAlwaysLocked()
    {
        var staff = new Actor("frank", ActorKind.Staff, "Frank", null, [new ClinicMembership(Guid.NewGuid(), StaffRole.FrontDesk)]);

        Assert.Same(Sensitive, SensitiveRules.ForReader(Sensitive, staff, Now));
        Assert.True(SensitiveRules.ForPatientPush(Sensitive).Locked);
        Assert.False(SensitiveRules.ForPatientPush(Sensitive with { Sensitive = false }).Locked);
    }

    [Fact]
    public void ASenderGetsTheirSensitiveMessageBackAsAReloadWouldShowIt()
    {
        var fromPatient = Sensitive with { SenderId = "pat", SenderKind = SenderKind.Patient };

        var locked = SensitiveRules.ForSender(fromPatient, Patient(null), Now, duplicate: true);
        var open = SensitiveRules.ForSender(fromPatient, Patient(Now.AddMinutes(5)), Now, duplicate: false);

        Assert.Equal((true, true), (locked.Message.Locked, locked.WasDuplicate));
        Assert.Equal((false, false), (open.Message.Locked, open.WasDuplicate));
        Assert.Same(fromPatient, open.Message);
    }

    [Fact]
    public void ARecordSentInASensitiveMessageOpensToItsPatientOnlyInsideTheWindowAndIsNeverPushedToThem()
    {
        var record = new RecordView(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "rx", 1,
            new RecordSnapshot(RecordKind.Prescription), Now, Sensitive: true);
        var staff = new Actor("frank", ActorKind.Staff, "Frank", null, [new ClinicMembership(Guid.NewGuid(), StaffRole.FrontDesk)]);

        Assert.False(SensitiveRules.MayOpen(record, Patient(null), Now));
        Assert.True(SensitiveRules.MayOpen(record, Patient(Now.AddMinutes(1)), Now));
        Assert.True(SensitiveRules.MayOpen(record, staff, Now));
        Assert.True(SensitiveRules.MayOpen(record with { Sensitive = false }, Patient(null), Now));
        Assert.False(SensitiveRules.PushesToPatient(record));
        Assert.True(SensitiveRules.PushesToPatient(record with { Sensitive = false }));
    }
}
