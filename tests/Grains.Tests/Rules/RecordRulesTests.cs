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

    [Theory]
    [InlineData("2", "2026-12-03T09:00:00Z", "3", "2026-12-03T10:00:00Z", true)]
    [InlineData("4", "2026-12-03T11:00:00Z", "3", "2026-12-03T10:00:00Z", false)]
    [InlineData("9", "2026-12-03T09:00:00Z", "3", "2026-12-03T10:00:00Z", true)] // lastUpdated decides when both have it
    [InlineData("2", null, "10", null, true)] // whole-number versionIds compare as numbers, not as text
    [InlineData("2", "2026-12-03T10:00:00Z", "3", "2026-12-03T10:00:00Z", true)] // same instant: the versionId decides
    [InlineData("b", null, "a", null, false)] // opaque ids do not order: the one sent last wins
    [InlineData(null, null, "3", "2026-12-03T10:00:00Z", false)]
    public void AnOlderVersionIsKnownByLastUpdatedElseByANumericVersionId(string? sentId, string? sentAt, string? keptId, string? keptAt, bool older)
    {
        SourceVersion? Source(string? id, string? at) =>
            id is null && at is null ? null : new SourceVersion(id, at is null ? null : DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(older, RecordRules.IsOlder(Source(sentId, sentAt), Source(keptId, keptAt)));
    }

    [Fact]
    public void AnOlderVersionIsOutdatedEvenWhenItsDetailsDiffer()
    {
        var stored = Stored(Appointment("a", Thursday)) with { Source = new SourceVersion("3", null) };

        Assert.Equal(RecordChange.Outdated, RecordRules.Compare(stored, Appointment("a", Thursday.AddHours(1)) with { Source = new SourceVersion("2", null) }));
        Assert.Equal(RecordChange.Updated, RecordRules.Compare(stored, Appointment("a", Thursday.AddHours(1)) with { Source = new SourceVersion("4", null) }));
    }

    [Fact]
    public void EveryKindCanBeWithdrawnAndOnlyActivePrescriptionsAndUnpaidInvoicesAreOpen()
    {
        var withdrawn = new RecordSnapshot(RecordKind.Invoice, Invoice: new InvoiceDetails("INV-1", Thursday, 10m, "USD", 0m, RecordSnapshot.EnteredInError));
        var owed = new RecordSnapshot(RecordKind.Invoice, Invoice: new InvoiceDetails("INV-2", Thursday, 10m, "USD", 10m, "issued"));
        var stopped = new RecordSnapshot(RecordKind.Prescription, Prescription: new PrescriptionDetails("Amoxicillin", null, null, Thursday, 0, "stopped"));

        Assert.Equal((true, false), (withdrawn.IsWithdrawn, withdrawn.IsOpen));
        Assert.Equal((false, true), (owed.IsWithdrawn, owed.IsOpen));
        Assert.Equal((false, false), (stopped.IsWithdrawn, stopped.IsOpen));
        Assert.False(Appointment("a", Thursday).Snapshot.IsWithdrawn);
    }

    [Fact]
    public void ASearchFindsRecordsByTheStartsOfTheWordsTheirCardShowsFoldedLikeNames()
    {
        var prescription = new RecordSnapshot(RecordKind.Prescription, Prescription: new PrescriptionDetails("Ibuprofen 400 mg", "With food", "Dr Zoë Müller", Thursday, 0, "active"));

        Assert.True(RecordSearch.Matches(prescription, RecordSearch.Words("ibu 400")));
        Assert.True(RecordSearch.Matches(prescription, RecordSearch.Words("MULLER")));
        Assert.True(RecordSearch.Matches(prescription, RecordSearch.Words("food")));
        Assert.False(RecordSearch.Matches(prescription, RecordSearch.Words("profen")));
        Assert.False(RecordSearch.Matches(prescription, RecordSearch.Words("ibu insulin")));
        Assert.Empty(RecordSearch.Words("  "));
    }

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
