namespace ClinicChat.Audit;

/// <summary>
/// One clinic's audit log, for that clinic's Admins (keyed by the clinic id): the filtered page, the export in chunks,
/// the chain verification, and the patient names the page shows. Anyone else is refused as "not found" and the refusal
/// is audited. Using the log is itself audited (<see cref="AuditActions.AuditViewed"/>, <see cref="AuditActions.AuditExported"/>,
/// <see cref="AuditActions.AuditVerified"/>).
/// </summary>
[Alias("ClinicChat.Audit.IClinicAuditGrain")]
public interface IClinicAuditGrain : IGrainWithGuidKey
{
    Task<Outcome<AuditPage>> ListAsync(Actor actor, AuditFilter filter);

    /// <summary>The first chunk (<c>After</c> null) records the export, before any row leaves.</summary>
    Task<Outcome<AuditExportChunk>> ExportAsync(Actor actor, AuditExportQuery query);

    /// <summary>Walks the chain; when intact, signs its head, so the next walk also catches a rewrite of everything verified now.</summary>
    Task<Outcome<AuditVerification>> VerifyAsync(Actor actor);

    /// <summary>The patient filter's picker: the clinic's patients by name (Admins have no chat role, so the chat's search refuses them).</summary>
    Task<Outcome<IReadOnlyList<AuditPatient>>> FindPatientsAsync(Actor actor, string query);

    /// <summary>Current names of those of <paramref name="patientIds"/> who are the clinic's patients; anyone else is left out.</summary>
    Task<Outcome<IReadOnlyList<AuditPatient>>> NamePatientsAsync(Actor actor, IReadOnlyList<Guid> patientIds);
}
