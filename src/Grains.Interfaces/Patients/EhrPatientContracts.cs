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

/// <summary>
/// What an EHR import did to patients and who each key is: <see cref="PatientIds"/> in the order of the keys asked about.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.EhrPatientResolution")]
public sealed record EhrPatientResolution(
    [property: Id(0)] IReadOnlyList<Guid> PatientIds,
    [property: Id(1)] int Created,
    [property: Id(2)] int Updated);
