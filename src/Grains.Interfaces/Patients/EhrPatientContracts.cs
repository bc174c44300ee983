using ClinicChat.Audit;
using ClinicChat.Records;

namespace ClinicChat.Patients;

/// <summary>
/// A FHIR Patient as the clinic's EHR sends it. <see cref="LogicalId"/> is the EHR's id for the patient (kept as an
/// external id so the EHR's references resolve), or a ClinicChat patient id when the EHR was given ours.
/// <see cref="Details"/> is null when the resource carries no name and date of birth: then it only names a patient
/// that must exist already. <see cref="Mrn"/> is its identifier under the clinic's MRN system, if it has one.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.EhrPatient")]
public sealed record EhrPatient(
    [property: Id(0)] string? LogicalId,
    [property: Id(1)] PatientDetails? Details,
    [property: Id(2)] string? Mrn);

public enum PatientKeyKind
{
    /// <summary><c>Patient/{id}</c>: a ClinicChat patient id, or the EHR's own id for a patient it sent before.</summary>
    Id = 0,

    /// <summary><c>Patient?identifier={clinic's MRN system}|{value}</c>: a conditional reference by MRN.</summary>
    Mrn = 1,

    /// <summary>A Patient entry of the same import (by fullUrl or Type/id): the index into its patients.</summary>
    Bundled = 2,
}

/// <summary>How a record names its patient, before it is resolved to a ClinicChat patient id.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.PatientKey")]
public sealed record PatientKey(
    [property: Id(0)] PatientKeyKind Kind,
    [property: Id(1)] string Value);

/// <summary>What an EHR import did with one Patient it was sent; null in <see cref="EhrImportResult.Patients"/> for one that only named a patient who is not here.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ImportedPatient")]
public sealed record ImportedPatient(
    [property: Id(0)] Guid PatientId,
    [property: Id(1)] ImportChange Change);

/// <summary>What an EHR import did: to each Patient sent (in order), and to the records.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.EhrImportResult")]
public sealed record EhrImportResult(
    [property: Id(0)] IReadOnlyList<ImportedPatient?> Patients,
    [property: Id(1)] ImportSummary Records)
{
    public int Created => Patients.Count(p => p?.Change == ImportChange.Created);

    public int Updated => Patients.Count(p => p?.Change == ImportChange.Updated);
}

public enum PatientWriteKind
{
    Add = 0,
    Update = 1,

    /// <summary>Keeps the EHR's id for the patient (<see cref="PatientWrite.ExternalId"/>).</summary>
    Link = 2,
}

/// <summary>One patient change an EHR import decided on, as data: it crosses to the grain that commits the transaction.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.PatientWrite")]
public sealed record PatientWrite(
    [property: Id(0)] PatientWriteKind Kind,
    [property: Id(1)] Guid PatientId,
    [property: Id(2)] PatientDetails? Details = null,
    [property: Id(3)] bool ClearConsent = false,
    [property: Id(4)] string? ExternalId = null);

/// <summary>
/// The patient changes of one EHR import and their audit rows, checked by the clinic's patients grain (duplicates,
/// other clinics' ids) and committed with the records of the same transaction by the records grain.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.PatientChangeSet")]
public sealed record PatientChangeSet(
    [property: Id(0)] IReadOnlyList<PatientWrite> Writes,
    [property: Id(1)] IReadOnlyList<AuditEvent> Audit)
{
    /// <summary>The patients it creates: records of the same transaction may be about them.</summary>
    public IEnumerable<Guid> Created => Writes.Where(w => w.Kind == PatientWriteKind.Add).Select(w => w.PatientId);
}
