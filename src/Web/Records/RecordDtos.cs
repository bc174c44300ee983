using ClinicChat.Records;

namespace ClinicChat.Web.Records;

// The JSON contract of patient records (cards), separate from the grain wire types.

public sealed record ArtifactUpdatedDto(Guid ArtifactId, Guid ConversationId, int Version);

/// <summary>
/// A patient record as a card shows it. On a message: the version and details as sent. From
/// <c>GET /artifacts/{id}</c>: as it is now (a different version means it changed since it was sent).
/// </summary>
public sealed record ArtifactDto(
    Guid Id,
    string Kind,
    int Version,
    DateTimeOffset? UpdatedAt,
    AppointmentDetails? Appointment,
    InvoiceDetails? Invoice,
    PrescriptionDetails? Prescription)
{
    public static string KindName(ArtifactKind kind) => kind switch
    {
        ArtifactKind.Appointment => "appointment",
        ArtifactKind.Invoice => "invoice",
        _ => "prescription",
    };

    public static ArtifactKind? ParseKind(string? name) => name switch
    {
        "appointment" => ArtifactKind.Appointment,
        "invoice" => ArtifactKind.Invoice,
        "prescription" => ArtifactKind.Prescription,
        _ => null,
    };

    public static ArtifactDto From(ArtifactView a) =>
        new(a.Id, KindName(a.Snapshot.Kind), a.Version, a.UpdatedAt, a.Snapshot.Appointment, a.Snapshot.Invoice, a.Snapshot.Prescription);

    public static ArtifactDto From(CardRef c) =>
        new(c.ArtifactId, KindName(c.Snapshot.Kind), c.Version, null, c.Snapshot.Appointment, c.Snapshot.Invoice, c.Snapshot.Prescription);
}

public sealed record ArtifactListDto(IReadOnlyList<ArtifactDto> Items);

public sealed record ImportSummaryDto(int Created, int Updated, int Unchanged);
