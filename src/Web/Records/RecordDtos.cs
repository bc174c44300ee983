using ClinicChat.Records;
using ClinicChat.Web.Integration;

namespace ClinicChat.Web.Records;

// The JSON contract of patient records (cards), separate from the grain wire types.

public sealed record RecordUpdatedDto(Guid RecordId, Guid ConversationId, int Version);

/// <summary>
/// A patient record as a card shows it. On a message: the version and details as sent. From
/// <c>GET /records/{id}</c>: as it is now (a different version means it changed since it was sent).
/// </summary>
public sealed record RecordDto(
    Guid Id,
    string Kind,
    int Version,
    DateTimeOffset? UpdatedAt,
    AppointmentDetails? Appointment,
    InvoiceDetails? Invoice,
    PrescriptionDetails? Prescription,
    bool Withdrawn = false)
{
    public static string KindName(RecordKind kind) => kind switch
    {
        RecordKind.Appointment => "appointment",
        RecordKind.Invoice => "invoice",
        _ => "prescription",
    };

    public static RecordKind? ParseKind(string? name) => name switch
    {
        "appointment" => RecordKind.Appointment,
        "invoice" => RecordKind.Invoice,
        "prescription" => RecordKind.Prescription,
        _ => null,
    };

    /// <summary>A withdrawn record reaches its patient without details (see <c>RecordGrain.GetAsync</c>); <c>withdrawn</c> says why.</summary>
    public static RecordDto From(RecordView a) =>
        new(a.Id, KindName(a.Snapshot.Kind), a.Version, a.UpdatedAt, a.Snapshot.Appointment, a.Snapshot.Invoice, a.Snapshot.Prescription, IsWithdrawn(a.Snapshot));

    /// <summary>A card as a message carries it; to its patient, a card whose record was withdrawn since comes without details.</summary>
    public static RecordDto From(CardRef c) =>
        new(c.RecordId, KindName(c.Snapshot.Kind), c.Version, null, c.Snapshot.Appointment, c.Snapshot.Invoice, c.Snapshot.Prescription, IsWithdrawn(c.Snapshot));

    private static bool IsWithdrawn(RecordSnapshot snapshot) =>
        snapshot.IsWithdrawn || snapshot is { Appointment: null, Invoice: null, Prescription: null };
}

public sealed record RecordListDto(IReadOnlyList<RecordDto> Items);

/// <param name="Outdated">Older than the version stored (by <c>meta.lastUpdated</c> or a numeric <c>meta.versionId</c>): not applied.</param>
/// <param name="Information">Entries skipped on purpose (resources ClinicChat does not keep, in a batch, collection or search result); null when none.</param>
/// <param name="PatientsCreated">Patients the import added to the clinic (FHIR Patient resources it did not know).</param>
/// <param name="PatientsUpdated">Patients whose details the import changed.</param>
public sealed record ImportSummaryDto(
    int Created, int Updated, int Unchanged, int Outdated, IReadOnlyList<FhirIssue>? Information = null, int PatientsCreated = 0, int PatientsUpdated = 0);

/// <summary>The identifier system (a URI) under which the clinic's EHR sends medical record numbers; null when none is set.</summary>
public sealed record MrnSystemDto(string? MrnSystem);
