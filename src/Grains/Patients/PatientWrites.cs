namespace ClinicChat.Patients;

/// <summary>An EHR import's patient changes (<see cref="PatientChangeSet"/>, data) as one write unit with their audit rows.</summary>
public static class PatientWrites
{
    public static WriteUnit Unit(Guid clinicId, PatientChangeSet changes, DateTimeOffset at) =>
        WriteUnit.Together([.. changes.Writes.Select(write => write.Kind switch
        {
            PatientWriteKind.Add => PatientDetailsStore.Add(clinicId, write.PatientId, Required(write), consent: null, at),
            PatientWriteKind.Update => PatientDetailsStore.Update(clinicId, write.PatientId, Required(write), consent: null, write.ClearConsent, at),
            _ => ExternalIdStore.Link(clinicId, write.ExternalId ?? throw new ArgumentException("A link needs the EHR's id.", nameof(changes)), write.PatientId, at),
        })]).Then(AuditLog.Append(at, changes.Audit));

    private static PatientDetails Required(PatientWrite write) =>
        write.Details ?? throw new ArgumentException($"A patient {write.Kind} needs details.", nameof(write));
}
