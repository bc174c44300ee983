using ClinicChat.Access;
using ClinicChat.Records;

namespace ClinicChat.Tests.Rules;

public sealed class RecordRulesTests
{
    private static readonly Guid Patient = Guid.NewGuid();
    private static readonly DateTimeOffset Thursday = new(2026, 12, 3, 14, 0, 0, TimeSpan.Zero);

    private static IncomingRecord Appointment(string id, DateTimeOffset start, Guid? patient = null) => new(
        RecordKind.Appointment, id, patient ?? Patient,
        new RecordSnapshot(RecordKind.Appointment, new AppointmentDetails(start, start.AddMinutes(30), "Dr Carter", "Room 2", "booked", null)));

    private static RecordView Stored(IncomingRecord record, int version = 1) =>
        new(Guid.NewGuid(), Guid.NewGuid(), record.PatientId, record.ResourceId, version, record.Snapshot, Thursday);

    [Fact]
    public void ARecordSeenForTheFirstTimeIsCreated() =>
        Assert.Equal(RecordChange.Created, RecordRules.Compare(null, Appointment("a", Thursday)));

    [Fact]
    public void SendingTheSameDetailsAgainIsNotAChange() =>
        Assert.Equal(RecordChange.Unchanged, RecordRules.Compare(Stored(Appointment("a", Thursday)), Appointment("a", Thursday)));

    [Fact]
    public void ARescheduledAppointmentIsAChange() =>
        Assert.Equal(RecordChange.Updated, RecordRules.Compare(Stored(Appointment("a", Thursday)), Appointment("a", Thursday.AddHours(2))));

    [Fact]
    public void ARecordNeverMovesToAnotherPatient() =>
        Assert.Equal(RecordChange.MovedToAnotherPatient, RecordRules.Compare(Stored(Appointment("a", Thursday)), Appointment("a", Thursday, Guid.NewGuid())));

    [Fact]
    public void AnImportNamingTheSameRecordTwiceIsRefused()
    {
        var error = RecordRules.Validate([Appointment("a", Thursday), Appointment("a", Thursday.AddHours(1))]);

        Assert.Equal((ChatErrorCode.Validation, "Appointment/a"), (error?.Code, error?.Field));
    }

    [Fact]
    public void AnEmptyImportOrDetailsOfTheWrongKindAreRefused()
    {
        var mislabelled = Appointment("a", Thursday) with { Kind = RecordKind.Invoice };

        Assert.Equal("records", RecordRules.Validate([])?.Field);
        Assert.Equal("Invoice/a", RecordRules.Validate([mislabelled])?.Field);
        Assert.Null(RecordRules.Validate([Appointment("a", Thursday), Appointment("b", Thursday)]));
    }

    [Fact]
    public void AnImportWithATextOverItsLimitIsRefusedWhicheverClientSendsIt()
    {
        var prescription = new IncomingRecord(RecordKind.Prescription, "rx", Patient, new RecordSnapshot(RecordKind.Prescription,
            Prescription: new PrescriptionDetails("Amoxicillin", new string('x', RecordLimits.MaxTextLength + 1), "Dr Carter", Thursday, 1, "active")));
        var atTheLimit = prescription with { Snapshot = prescription.Snapshot with { Prescription = prescription.Snapshot.Prescription! with { Instructions = new string('x', RecordLimits.MaxTextLength) } } };

        var error = RecordRules.Validate([prescription]);

        Assert.Equal((ChatErrorCode.Validation, "MedicationRequest/rx"), (error?.Code, error?.Field));
        Assert.Contains("instructions is longer than 2000 characters", error!.Detail, StringComparison.Ordinal);
        Assert.Null(RecordRules.Validate([atTheLimit]));
    }
}
