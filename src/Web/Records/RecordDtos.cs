using ClinicChat.Records;

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
    PrescriptionDetails? Prescription)
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

    public static RecordDto From(RecordView a) =>
        new(a.Id, KindName(a.Snapshot.Kind), a.Version, a.UpdatedAt, a.Snapshot.Appointment, a.Snapshot.Invoice, a.Snapshot.Prescription);

    public static RecordDto From(CardRef c) =>
        new(c.RecordId, KindName(c.Snapshot.Kind), c.Version, null, c.Snapshot.Appointment, c.Snapshot.Invoice, c.Snapshot.Prescription);
}

public sealed record RecordListDto(IReadOnlyList<RecordDto> Items);

public sealed record ImportSummaryDto(int Created, int Updated, int Unchanged);
