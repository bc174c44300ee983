using System.Text.Json.Serialization;
using ClinicChat.Patients;
using Orleans.Concurrency;

namespace ClinicChat.Records;

// Serializer aliases: the record types below were first named Artifact*, and some keep that alias
// ("ClinicChat.ArtifactSnapshot", ...). They cross the wire between silos and web nodes, which run two
// builds side by side during a rolling restart; an alias is the type's wire identity, so it stays.

/// <summary>The kinds of patient record a message can refer to (typed in the composer as /appt, /invoice, /rx).</summary>
public enum RecordKind
{
    Appointment = 0,
    Invoice = 1,
    Prescription = 2,
}

/// <summary>What an appointment card shows (from a FHIR R4 <c>Appointment</c>).</summary>
/// <param name="Provider">Every practitioner taking part, in the order sent, joined by ", ".</param>
/// <param name="StatusReason">Why it was cancelled (<c>cancelationReason</c>), shown with a cancelled status.</param>
/// <param name="RequestedFrom">
/// A proposed appointment's requested period (<c>requestedPeriod</c>, the first one), as calendar days: what the patient
/// asked for, before a time is set.
/// </param>
[GenerateSerializer, Immutable, Alias("ClinicChat.AppointmentDetails")]
public sealed record AppointmentDetails(
    [property: Id(0)] DateTimeOffset? Start,
    [property: Id(1)] DateTimeOffset? End,
    [property: Id(2)] string? Provider,
    [property: Id(3)] string? Location,
    [property: Id(4)] string Status,
    [property: Id(5)] string? Description,
    [property: Id(6)] string? StatusReason = null,
    [property: Id(7)] DateOnly? RequestedFrom = null,
    [property: Id(8)] DateOnly? RequestedTo = null);

/// <summary>What an invoice card shows (from a FHIR R4 <c>Invoice</c>).</summary>
/// <param name="Date">When, as an instant (a date alone is its midnight UTC): what records sort by.</param>
/// <param name="StatusReason">Why it was cancelled (<c>cancelledReason</c>).</param>
/// <param name="Day">
/// The calendar date when the system sent a date without a time: shown as that date in every time zone (the instant,
/// shown in a zone west of UTC, would be the day before). Null when a time was sent, and in records stored before it.
/// </param>
[GenerateSerializer, Immutable, Alias("ClinicChat.InvoiceDetails")]
public sealed record InvoiceDetails(
    [property: Id(0)] string? Number,
    [property: Id(1)] DateTimeOffset? Date,
    [property: Id(2)] decimal? Amount,
    [property: Id(3)] string? Currency,
    [property: Id(4)] decimal? Balance,
    [property: Id(5)] string Status,
    [property: Id(6)] DateOnly? Day = null,
    [property: Id(7)] string? StatusReason = null,
    [property: Id(8)] decimal? Net = null,
    [property: Id(9)] IReadOnlyList<InvoiceLine>? Lines = null);

/// <summary>One charge on an invoice: what it is and its price before tax (the <c>base</c> price component).</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.InvoiceLine")]
public sealed record InvoiceLine(
    [property: Id(0)] string Description,
    [property: Id(1)] decimal? Amount);

/// <summary>What a prescription card shows (from a FHIR R4 <c>MedicationRequest</c>).</summary>
/// <param name="Date">When it was authored, as an instant (a date alone is its midnight UTC): what records sort by.</param>
/// <param name="Day">The calendar date when only a date was sent (see <see cref="InvoiceDetails.Day"/>).</param>
/// <param name="StatusReason">Why it was stopped, put on hold or cancelled (<c>statusReason</c>).</param>
/// <param name="Reported">
/// A medicine the patient (or someone else) reported taking (<c>reportedBoolean</c> or <c>reportedReference</c>), not a
/// prescription by the clinic: shown as such, without a prescriber.
/// </param>
[GenerateSerializer, Immutable, Alias("ClinicChat.PrescriptionDetails")]
public sealed record PrescriptionDetails(
    [property: Id(0)] string Medication,
    [property: Id(1)] string? Instructions,
    [property: Id(2)] string? Prescriber,
    [property: Id(3)] DateTimeOffset? Date,
    [property: Id(4)] int? Refills,
    [property: Id(5)] string Status,
    [property: Id(6)] DateOnly? Day = null,
    [property: Id(7)] string? StatusReason = null,
    [property: Id(8)] bool Reported = false);

/// <summary>
/// How long the texts a card keeps may be. A card's snapshot is copied into every message that carries it, so an
/// unbounded text multiplies (a page of cards with 1 MB strings was tens of MB). Over-long texts are refused, never
/// shortened: a clipped dosage instruction is a clinical error.
/// </summary>
public static class RecordLimits
{
    /// <summary>Names and short labels: medication, provider, prescriber, location, invoice number, currency, status.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Free text: instructions, an appointment's description, the names of every practitioner taking part.</summary>
    public const int MaxTextLength = 2000;

    /// <summary>Charges an invoice card lists; an invoice with more is refused rather than shown in part.</summary>
    public const int MaxInvoiceLines = 50;

    /// <summary>The first text of <paramref name="snapshot"/> that is too long, as (element, limit); null when all fit.</summary>
    public static (string Element, int Limit)? FirstTooLong(RecordSnapshot snapshot)
    {
        (string Element, string? Value, int Limit)[] texts = snapshot.Kind switch
        {
            RecordKind.Appointment when snapshot.Appointment is { } a =>
                [("provider", a.Provider, MaxTextLength), ("location", a.Location, MaxNameLength), ("status", a.Status, MaxNameLength), ("description", a.Description, MaxTextLength), ("status reason", a.StatusReason, MaxTextLength)],
            RecordKind.Invoice when snapshot.Invoice is { } i =>
                [("number", i.Number, MaxNameLength), ("currency", i.Currency, MaxNameLength), ("status", i.Status, MaxNameLength), ("status reason", i.StatusReason, MaxTextLength),
                .. (i.Lines ?? []).Select(line => ("line item", (string?)line.Description, MaxNameLength))],
            RecordKind.Prescription when snapshot.Prescription is { } p =>
                [("medication", p.Medication, MaxNameLength), ("instructions", p.Instructions, MaxTextLength), ("prescriber", p.Prescriber, MaxNameLength), ("status", p.Status, MaxNameLength), ("status reason", p.StatusReason, MaxTextLength)],
            _ => [],
        };
        if (snapshot.Invoice?.Lines?.Count > MaxInvoiceLines)
        {
            return ("line items", MaxInvoiceLines);
        }

        return texts.FirstOrDefault(t => t.Value?.Length > t.Limit) is { Element: not null } tooLong ? (tooLong.Element, tooLong.Limit) : null;
    }
}

/// <summary>What a card shows: exactly one of the three details, matching <see cref="Kind"/>.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ArtifactSnapshot")]
public sealed record RecordSnapshot(
    [property: Id(0)] RecordKind Kind,
    [property: Id(1)] AppointmentDetails? Appointment = null,
    [property: Id(2)] InvoiceDetails? Invoice = null,
    [property: Id(3)] PrescriptionDetails? Prescription = null)
{
    /// <summary>FHIR's status for a record that should never have existed (every kind has it).</summary>
    public const string EnteredInError = "entered-in-error";

    /// <summary>The time the palette sorts by, newest first: when the appointment is, the invoice date, when it was prescribed.</summary>
    [JsonIgnore]
    public DateTimeOffset? SortTime => Kind switch
    {
        RecordKind.Appointment => Appointment?.Start,
        RecordKind.Invoice => Invoice?.Date,
        _ => Prescription?.Date,
    };

    /// <summary>The record's FHIR status code (booked, issued, active, ...).</summary>
    [JsonIgnore]
    public string? Status => Appointment?.Status ?? Invoice?.Status ?? Prescription?.Status;

    /// <summary>
    /// The clinic's system says the record was entered in error: it is withdrawn from the patient's view and the palette
    /// and cannot be attached again; cards already sent say so instead of showing it.
    /// </summary>
    [JsonIgnore]
    public bool IsWithdrawn => Status == EnteredInError;

    /// <summary>Listed before the rest of its kind: an active prescription, or an invoice with something left to pay.</summary>
    [JsonIgnore]
    public bool IsOpen => Kind switch
    {
        RecordKind.Prescription => Prescription?.Status == "active",
        RecordKind.Invoice => Invoice is { Balance: > 0, Status: "draft" or "issued" },
        _ => false,
    };

    /// <summary>What a withdrawn record shows its patient: its kind, nothing of what was entered in error.</summary>
    public static RecordSnapshot Withdrawn(RecordKind kind) => new(kind);
}

/// <summary>
/// Which version of a resource the sending system sent (its <c>meta.versionId</c> and <c>meta.lastUpdated</c>), so a late,
/// older version is recognised and never overwrites a newer one. Either may be missing; see <c>RecordRules.IsOlder</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.SourceVersion")]
public sealed record SourceVersion(
    [property: Id(0)] string? VersionId,
    [property: Id(1)] DateTimeOffset? LastUpdated);

/// <summary>
/// One record as a clinic's system sends it: its FHIR resource id (unique per clinic and kind) and
/// the ClinicChat patient it is about. <see cref="IfMatch"/>: applied only if the stored record is at that version
/// (FHIR's <c>If-Match</c> on an update), else the import is refused as a version conflict.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ArtifactRecord")]
public sealed record IncomingRecord(
    [property: Id(0)] RecordKind Kind,
    [property: Id(1)] string ResourceId,
    [property: Id(2)] Guid PatientId,
    [property: Id(3)] RecordSnapshot Snapshot,
    [property: Id(4)] SourceVersion? Source = null,
    [property: Id(5)] int? IfMatch = null);

/// <summary>
/// A stored record as it is now. <see cref="Version"/> grows each time an import changes what its card shows.
/// <see cref="Sensitive"/>: the record was sent in a sensitive message, so its patient sees it only inside a
/// re-authentication window (see <c>SensitiveRules</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ArtifactView")]
public sealed record RecordView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ClinicId,
    [property: Id(2)] Guid PatientId,
    [property: Id(3)] string ResourceId,
    [property: Id(4)] int Version,
    [property: Id(5)] RecordSnapshot Snapshot,
    [property: Id(6)] DateTimeOffset UpdatedAt,
    [property: Id(7)] bool Sensitive = false,
    [property: Id(8)] SourceVersion? Source = null);

/// <summary>What an import did with one resource it was sent.</summary>
public enum ImportChange
{
    Created = 0,
    Updated = 1,

    /// <summary>Already as sent: no new version.</summary>
    Unchanged = 2,

    /// <summary>Older than the version stored (by the sending system's meta): not applied, the newer version stays.</summary>
    Outdated = 3,
}

/// <summary>
/// One record of an import as it is stored afterwards (for an <see cref="ImportChange.Outdated"/> one, the newer version
/// that stays): what a FHIR transaction-response entry reports (location, version, last modified).
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ImportedRecord")]
public sealed record ImportedRecord(
    [property: Id(0)] RecordKind Kind,
    [property: Id(1)] string ResourceId,
    [property: Id(2)] Guid RecordId,
    [property: Id(3)] int Version,
    [property: Id(4)] ImportChange Change,
    [property: Id(5)] DateTimeOffset UpdatedAt);

/// <summary>
/// How an import went: how many records were new, changed, already as sent, or older than the version stored
/// (<see cref="Outdated"/>: not applied, the newer version stays), and each record in the order sent.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ImportSummary")]
public sealed record ImportSummary(
    [property: Id(0)] int Created,
    [property: Id(1)] int Updated,
    [property: Id(2)] int Unchanged,
    [property: Id(3)] int Outdated = 0,
    [property: Id(4)] IReadOnlyList<ImportedRecord>? Records = null)
{
    public static ImportSummary Empty { get; } = new(0, 0, 0, 0, []);
}

/// <summary>
/// A record card as a message carries it: which record, and the version and snapshot the sender saw.
/// Readers fetch the record's current state to show whether it changed since.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.CardRef")]
public sealed record CardRef(
    // Stored as JSON in messages.cards_json under its first name: existing rows must keep reading.
    [property: Id(0), JsonPropertyName("ArtifactId")] Guid RecordId,
    [property: Id(1)] int Version,
    [property: Id(2)] RecordSnapshot Snapshot);

/// <summary>
/// A clinic's patient records, as its practice-management system or EHR sends them. One activation
/// per clinic serialises imports, so versions are assigned without races.
/// </summary>
public interface IClinicRecordsGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Upserts records by (kind, resource id), all or nothing. Only the clinic's Admins, or an integration with each
    /// kind's write scope, may import. Every record must be about a patient of this clinic and may not move to another
    /// patient. <paramref name="patientsFirst"/>: the patient changes of the same FHIR transaction (decided by the
    /// clinic's patients grain, which waits for this call), committed in the records' own commit, so a transaction is
    /// stored whole or not at all; records may be about the patients it creates.
    /// </summary>
    Task<Outcome<ImportSummary>> ImportAsync(Actor actor, IReadOnlyList<IncomingRecord> records, PatientChangeSet? patientsFirst);

    /// <summary>
    /// One record by its FHIR type and the sending system's id (a FHIR read): the clinic's Admins, or an integration
    /// with the kind's read scope; audited. Unknown, or another clinic's: not found.
    /// </summary>
    [ReadOnly]
    Task<Outcome<RecordView>> ReadAsync(Actor actor, RecordKind kind, string resourceId);

    /// <summary>
    /// One patient's records of a kind for the composer's palette, what matters first (see <c>RecordStore.ListAsync</c>),
    /// without withdrawn ones; with <paramref name="search"/>, only those whose names or texts contain its words.
    /// Staff who chat at the clinic, or the patient. A patient outside a re-authentication window is not shown records
    /// sent in sensitive messages.
    /// </summary>
    [ReadOnly]
    Task<Outcome<IReadOnlyList<RecordView>>> ListAsync(Actor actor, Guid patientId, RecordKind kind, int limit, string? search = null);
}

/// <summary>One record's current state, for the cards that refer to it. Reads only; any silo may answer.</summary>
/// <remarks>
/// Renamed from IArtifactGrain without pinning the old grain type or interface name: nothing persists them (a stateless
/// worker with no grain state or reminders, and no stored grain ids), and a caller is either the conversation grain on
/// the same silo or a web node, whose old routes are gone with the rename anyway.
/// </remarks>
public interface IRecordGrain : IGrainWithGuidKey
{
    /// <summary>
    /// The record as it is now, to staff who chat at its clinic and to the patient it is about; audited. A record
    /// sent in a sensitive message answers <c>SensitiveLocked</c> to its patient outside a re-authentication window.
    /// </summary>
    Task<Outcome<RecordView>> GetAsync(Actor actor);

    /// <summary>For the conversation grain at send time: the record if it is about this clinic's patient.</summary>
    Task<RecordView?> FindForSendAsync(Guid clinicId, Guid patientId);
}
