using System.Globalization;
using ClinicChat.Patients;
using ClinicChat.Records;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;

namespace ClinicChat.Web.Integration;

/// <summary>
/// What ClinicChat keeps of a record or a patient, as the FHIR resource an EHR reads back (<c>GET /fhir/r4/{type}/{id}</c>).
/// It is what a card shows, not the EHR's whole resource: the elements ClinicChat reads on import, with ClinicChat's own
/// version (<c>meta.versionId</c>, the ETag) and the time it last changed here (<c>meta.lastUpdated</c>). Patients are
/// referred to by their ClinicChat id.
/// </summary>
public static class FhirResources
{
    public static Resource From(RecordView record)
    {
        Resource resource = record.Snapshot switch
        {
            { Kind: RecordKind.Appointment, Appointment: { } a } => Appointment(a, record.PatientId),
            { Kind: RecordKind.Invoice, Invoice: { } i } => Invoice(i, record.PatientId),
            { Prescription: { } p } => Prescription(p, record.PatientId),
            _ => throw new InvalidOperationException($"Record {record.Id} has no details of its kind."),
        };
        resource.Id = record.ResourceId;
        resource.Meta = new Meta { VersionId = record.Version.ToString(CultureInfo.InvariantCulture), LastUpdated = record.UpdatedAt };
        return resource;
    }

    public static Patient From(PatientFile file, string? mrnSystem)
    {
        var details = file.Details;
        var patient = new Patient
        {
            Id = file.Id.ToString("D"),
            Name = [new HumanName { Given = [details.GivenName], Family = details.FamilyName }],
            BirthDateElement = new Date(details.BirthDate.Year, details.BirthDate.Month, details.BirthDate.Day),
        };
        if (details.Mrn is { } mrn)
        {
            patient.Identifier.Add(new Identifier(mrnSystem, mrn) { Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0203", "MR") });
        }

        if (details.Email is { } email)
        {
            patient.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Email, null, email));
        }

        if (details.Mobile is { } mobile)
        {
            patient.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, mobile));
        }

        if (details.PreferredLanguage is { } language)
        {
            patient.Communication.Add(new Patient.CommunicationComponent { Language = new CodeableConcept("urn:ietf:bcp:47", language), Preferred = true });
        }

        return patient;
    }

    /// <summary>The FHIR type a record kind is, and back (the REST base's type names).</summary>
    public static RecordKind? KindOf(string resourceType) => resourceType switch
    {
        "Appointment" => RecordKind.Appointment,
        "Invoice" => RecordKind.Invoice,
        "MedicationRequest" => RecordKind.Prescription,
        _ => null,
    };

    private static Appointment Appointment(AppointmentDetails details, Guid patientId)
    {
        var appointment = new Appointment
        {
            Status = EnumUtility.ParseLiteral<Appointment.AppointmentStatus>(details.Status),
            Start = details.Start,
            End = details.End,
            Description = details.Description,
            CancelationReason = details.StatusReason is { } reason ? new CodeableConcept { Text = reason } : null,
            Participant = [new Appointment.ParticipantComponent { Actor = PatientReference(patientId), Status = ParticipationStatus.Accepted }],
        };
        if (details.Provider is { } provider)
        {
            appointment.Participant.Add(new Appointment.ParticipantComponent
            {
                Type = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "PPRF")],
                Actor = new ResourceReference { Display = provider },
                Status = ParticipationStatus.Accepted,
            });
        }

        if (details.Location is { } location)
        {
            appointment.Participant.Add(new Appointment.ParticipantComponent { Actor = new ResourceReference { Display = location }, Status = ParticipationStatus.Accepted });
        }

        if (details.RequestedFrom is not null || details.RequestedTo is not null)
        {
            appointment.RequestedPeriod.Add(new Period(Day(details.RequestedFrom), Day(details.RequestedTo)));
        }

        return appointment;
    }

    private static Invoice Invoice(InvoiceDetails details, Guid patientId)
    {
        var currency = EnumUtility.ParseLiteral<Money.Currencies>(details.Currency ?? string.Empty);
        Money? Amount(decimal? value) => value is { } v ? new Money { Value = v, Currency = currency } : null;
        var invoice = new Invoice
        {
            Status = EnumUtility.ParseLiteral<Invoice.InvoiceStatus>(details.Status),
            Subject = PatientReference(patientId),
            DateElement = details.Day is { } day ? new FhirDateTime(day.Year, day.Month, day.Day) : details.Date is { } date ? new FhirDateTime(date) : null,
            TotalGross = Amount(details.Amount),
            TotalNet = Amount(details.Net),
            CancelledReason = details.StatusReason,
        };
        if (details.Number is { } number)
        {
            invoice.Identifier.Add(new Identifier { Value = number });
        }

        foreach (var (line, i) in (details.Lines ?? []).Select((line, i) => (line, i)))
        {
            invoice.LineItem.Add(new Invoice.LineItemComponent
            {
                Sequence = i + 1,
                ChargeItem = new CodeableConcept { Text = line.Description },
                PriceComponent = line.Amount is null ? [] : [new Invoice.PriceComponentComponent { Type = InvoicePriceComponentType.Base, Amount = Amount(line.Amount) }],
            });
        }

        return invoice;
    }

    private static MedicationRequest Prescription(PrescriptionDetails details, Guid patientId) => new()
    {
        Status = EnumUtility.ParseLiteral<MedicationRequest.MedicationrequestStatus>(details.Status),
        Intent = MedicationRequest.MedicationRequestIntent.Order,
        Medication = new CodeableConcept { Text = details.Medication },
        Subject = PatientReference(patientId),
        AuthoredOnElement = details.Day is { } day ? new FhirDateTime(day.Year, day.Month, day.Day) : details.Date is { } date ? new FhirDateTime(date) : null,
        Requester = details.Prescriber is { } prescriber ? new ResourceReference { Display = prescriber } : null,
        DosageInstruction = details.Instructions is { } instructions ? [new Dosage { Text = instructions }] : [],
        DispenseRequest = details.Refills is { } refills ? new MedicationRequest.DispenseRequestComponent { NumberOfRepeatsAllowed = refills } : null,
        StatusReason = details.StatusReason is { } reason ? new CodeableConcept { Text = reason } : null,
        Reported = details.Reported ? new FhirBoolean(true) : null,
    };

    private static ResourceReference PatientReference(Guid patientId) => new($"Patient/{patientId:D}");

    private static FhirDateTime? Day(DateOnly? day) => day is { } d ? new FhirDateTime(d.Year, d.Month, d.Day) : null;
}
