using ClinicChat.Records;

namespace ClinicChat.Patients;

/// <summary>
/// A patient as staff enter them, already normalised by the web tier (<c>PatientInput</c>): trimmed names, a past
/// birth date, an E.164 mobile number, an email with a lower-case domain, a canonical BCP 47 language tag.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.PatientDetails")]
public sealed record PatientDetails(
    [property: Id(0)] string GivenName,
    [property: Id(1)] string FamilyName,
    [property: Id(2)] DateOnly BirthDate,
    [property: Id(3)] string? Email,
    [property: Id(4)] string? Mobile,
    [property: Id(5)] string? Mrn,
    [property: Id(6)] string? PreferredLanguage)
{
    /// <summary>The name the directory, search and thread headers show (and index), derived on every save.</summary>
    public string DisplayName => $"{GivenName} {FamilyName}";
}

/// <summary>A patient of one clinic as the editor shows them: their details and what staff recorded about SMS.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.PatientFile")]
public sealed record PatientFile(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ClinicId,
    [property: Id(2)] PatientDetails Details,
    [property: Id(3)] bool HasPortalAccount,
    [property: Id(4)] DateTimeOffset? SmsConsentAt);

/// <summary>A patient the practice system (or the demo seeder) already has an id for.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.PatientImport")]
public sealed record PatientImport([property: Id(0)] Guid Id, [property: Id(1)] PatientDetails Details);

/// <summary>
/// One clinic's patients as staff add and edit them. One activation per clinic serialises every create and edit
/// there, so the duplicate check (same MRN, or same name and birth date) and the write it guards cannot interleave.
/// Allowed: the clinic's clinicians, front desk and Admins; its Billing staff are told no (403); anyone else
/// learns nothing (404, audited as denied).
/// </summary>
public interface IClinicPatientsGrain : IGrainWithGuidKey
{
    /// <param name="smsConsent">Staff record that the patient agreed to SMS (to the mobile number given).</param>
    Task<Outcome<PatientFile>> AddAsync(Actor actor, PatientDetails details, bool smsConsent);

    /// <summary>Replaces the details; the portal account, threads and preferences stay as they are.</summary>
    Task<Outcome<PatientFile>> UpdateAsync(Actor actor, Guid patientId, PatientDetails details, bool smsConsent);

    Task<Outcome<PatientFile>> GetAsync(Actor actor, Guid patientId);

    /// <summary>Records the patient's consent to SMS at their current mobile number (a number is needed).</summary>
    Task<Outcome<PatientFile>> RecordSmsConsentAsync(Actor actor, Guid patientId);

    /// <summary>
    /// Adds patients with ids chosen by the caller (the practice system's, the demo's fixed ones), under the same
    /// rules as <see cref="AddAsync"/>; a patient whose id exists already at this clinic has their details replaced.
    /// The first refusal stops the import and is returned.
    /// </summary>
    Task<Outcome<int>> ImportAsync(Actor actor, IReadOnlyList<PatientImport> patients);

    /// <summary>
    /// One FHIR import from the clinic's EHR: its Patients, then its records, each about the patient its key names
    /// (<paramref name="keys"/>[i] for <paramref name="records"/>[i]). A patient is found by a ClinicChat id, by the EHR's
    /// id sent before, or by MRN under the clinic's MRN system, else created (it needs a name and a date of birth); the
    /// EHR's id is kept. Fields the EHR sends replace the stored ones; fields it leaves out stay (contact details staff
    /// entered are not wiped). All or nothing, in one commit: a key that matches nobody, or a refused patient, is a
    /// validation error whose field is <c>patients[i]</c> or <c>keys[i]</c>; a refused record is the records grain's
    /// refusal. Patients need the clinic's Admins or <c>system/Patient.write</c>; records their kinds' write scopes.
    /// </summary>
    Task<Outcome<EhrImportResult>> ImportFromEhrAsync(Actor actor, IReadOnlyList<EhrPatient> patients, IReadOnlyList<PatientKey> keys, IReadOnlyList<IncomingRecord> records);

    /// <summary>
    /// A patient by ClinicChat id or by the EHR's id (a FHIR read): the clinic's Admins, or an integration with
    /// <c>system/Patient.read</c>; audited. Anyone else, or no such patient here: not found.
    /// </summary>
    [Orleans.Concurrency.ReadOnly]
    Task<Outcome<PatientFile>> ReadForEhrAsync(Actor actor, string id);

    /// <summary>The identifier system of the clinic's MRNs in FHIR (a URI), or null when none is set.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<string?> GetMrnSystemAsync();

    /// <summary>The same, for a person asking (the clinic's Admins; its other staff are told no, anyone else 404).</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<Outcome<string?>> ReadMrnSystemAsync(Actor actor);

    /// <summary>Sets the identifier system of the clinic's MRNs (null clears it). The clinic's Admins only; audited.</summary>
    Task<Outcome<string?>> SetMrnSystemAsync(Actor actor, string? system);
}
