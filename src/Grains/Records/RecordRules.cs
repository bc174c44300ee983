using System.Text.Json;

namespace ClinicChat.Records;

public enum RecordChange
{
    Unchanged = 0,
    Created = 1,
    Updated = 2,
    MovedToAnotherPatient = 3,

    /// <summary>Older than the version stored (by the sending system's meta): not applied, the newer version stays.</summary>
    Outdated = 4,
}

/// <summary>What an import may contain, and how an incoming record relates to the stored one.</summary>
public static class RecordRules
{
    /// <summary>One import is one transaction: large enough for a day's changes, small enough to commit quickly.</summary>
    public const int MaxRecordsPerImport = 1000;

    public const int MaxListSize = 50;

    public const int MaxResourceIdLength = 64;

    public static ChatError? Validate(IReadOnlyList<IncomingRecord> records)
    {
        if (records.Count is 0 or > MaxRecordsPerImport)
        {
            return ChatError.Invalid("records", $"An import holds 1-{MaxRecordsPerImport} records.");
        }

        if (records.FirstOrDefault(r => string.IsNullOrWhiteSpace(r.ResourceId) || r.ResourceId.Length > MaxResourceIdLength || r.Snapshot.Kind != r.Kind) is { } malformed)
        {
            // The detail never repeats the id (it may be what is wrong, and of any length); the field names it when it fits.
            var field = malformed.ResourceId?.Length is > 0 and <= MaxResourceIdLength ? ReferenceOf(malformed) : FhirTypeOf(malformed.Kind);
            return ChatError.Invalid(field, $"Each {FhirTypeOf(malformed.Kind)} needs an id of 1-{MaxResourceIdLength} characters and details of its kind.");
        }

        foreach (var record in records)
        {
            if (RecordLimits.FirstTooLong(record.Snapshot) is var (element, limit))
            {
                return ChatError.Invalid(ReferenceOf(record), element == "line items"
                    ? $"{ReferenceOf(record)} has more than {limit} line items; nothing is shown in part."
                    : $"{ReferenceOf(record)}: {element} is longer than {limit} characters; nothing is shortened on import.");
            }
        }

        var twice = records.GroupBy(r => (r.Kind, r.ResourceId)).FirstOrDefault(g => g.Count() > 1);
        return twice is null
            ? null
            : ChatError.Invalid(ReferenceOf(twice.First()), $"{ReferenceOf(twice.First())} appears more than once in one import.");
    }

    /// <summary>
    /// A version is spent only when what the card shows changes: re-sending the same record is not a
    /// change, so an integration may send its whole day again without marking every card "changed".
    /// A record never moves to another patient: cards already sent to the first one must not start
    /// showing someone else's details.
    /// </summary>
    /// An older version (see <see cref="IsOlder"/>) is outdated before anything else is compared: it says nothing about
    /// the record as it is now.
    public static RecordChange Compare(RecordView? stored, IncomingRecord incoming) => stored switch
    {
        null => RecordChange.Created,
        _ when IsOlder(incoming.Source, stored.Source) => RecordChange.Outdated,
        _ when stored.PatientId != incoming.PatientId => RecordChange.MovedToAnotherPatient,
        _ when SameContent(stored.Snapshot, incoming.Snapshot) => RecordChange.Unchanged,
        _ => RecordChange.Updated,
    };

    /// <summary>
    /// Whether two snapshots show the same. Record equality compares lists (an invoice's lines) by reference, so the
    /// stored form decides: the JSON the snapshot is kept as.
    /// </summary>
    public static bool SameContent(RecordSnapshot a, RecordSnapshot b) =>
        a == b || JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);

    /// <summary>
    /// Whether <paramref name="incoming"/> is an older version than <paramref name="stored"/>, by what the sending system
    /// said of both: <c>meta.lastUpdated</c> when both have it and they differ, else <c>meta.versionId</c> when both are
    /// whole numbers (what FHIR servers commonly send; the spec leaves ids opaque, so other ids are not ordered). When
    /// nothing orders them the one sent last wins, as before versions were kept.
    /// </summary>
    public static bool IsOlder(SourceVersion? incoming, SourceVersion? stored)
    {
        if (incoming is null || stored is null)
        {
            return false;
        }

        if (incoming.LastUpdated is { } sent && stored.LastUpdated is { } kept && sent != kept)
        {
            return sent < kept;
        }

        return long.TryParse(incoming.VersionId, out var sentVersion) && long.TryParse(stored.VersionId, out var keptVersion) && sentVersion < keptVersion;
    }

    /// <summary>The FHIR name of the record, as integrators know it (for example <c>Appointment/123</c>).</summary>
    public static string ReferenceOf(IncomingRecord record) => $"{FhirTypeOf(record.Kind)}/{record.ResourceId}";

    public static string FhirTypeOf(RecordKind kind) => kind switch
    {
        RecordKind.Appointment => "Appointment",
        RecordKind.Invoice => "Invoice",
        _ => "MedicationRequest",
    };
}
