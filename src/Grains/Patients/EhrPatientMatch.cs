namespace ClinicChat.Patients;

/// <summary>
/// Which of a clinic's patients an EHR's import means: by ClinicChat id (the EHR was given ours), by the EHR's own id linked
/// before (<paramref name="known"/>, read once per import), or by MRN.
/// </summary>
internal sealed class EhrPatientMatch(PatientDetailsStore store, Guid clinicId, Dictionary<string, Guid> known)
{
    /// <summary>The stored patient an EHR's Patient resource is, if any.</summary>
    public async Task<PatientFile?> FindAsync(string? logicalId, string? mrn)
    {
        if (Guid.TryParse(logicalId, out var ours) && await store.GetAsync(clinicId, ours) is { } byOurId)
        {
            return byOurId;
        }

        if (logicalId is not null && known.TryGetValue(logicalId, out var linked) && await store.GetAsync(clinicId, linked) is { } byTheirId)
        {
            return byTheirId;
        }

        return mrn is not null && await store.FindByMrnAsync(clinicId, mrn, Guid.Empty) is { } byMrn ? await store.GetAsync(clinicId, byMrn) : null;
    }

    /// <summary>
    /// The patient a record's key names: a patient of the same import by position (<paramref name="resolved"/>, null where
    /// the import only named one it does not have), by MRN (the import's first, then the clinic's), or by id as
    /// <see cref="FindAsync"/> reads it.
    /// </summary>
    public async Task<Guid?> ResolveAsync(PatientKey key, IReadOnlyList<EhrPatient> patients, Guid?[] resolved)
    {
        switch (key.Kind)
        {
            case PatientKeyKind.Bundled:
                return int.TryParse(key.Value, out var index) && index >= 0 && index < resolved.Length ? resolved[index] : null;
            case PatientKeyKind.Mrn:
                var inImport = patients.Select((p, i) => (p.Mrn, Id: resolved[i])).FirstOrDefault(p => p.Mrn == key.Value && p.Id is not null).Id;
                return inImport ?? await store.FindByMrnAsync(clinicId, key.Value, Guid.Empty);
            default:
                if (Guid.TryParse(key.Value, out var ours) && await store.GetAsync(clinicId, ours) is not null)
                {
                    return ours;
                }

                return known.TryGetValue(key.Value, out var linked) ? linked : null;
        }
    }

    /// <summary>
    /// Remembers the EHR's own id for <paramref name="patientId"/> for the rest of the import; true when that link is new
    /// and must be stored (not linked before, and not simply our id, which the EHR was given).
    /// </summary>
    public bool TryLink(string logicalId, Guid patientId) =>
        logicalId != patientId.ToString() && known.TryAdd(logicalId, patientId);

    /// <summary>The EHR's details over the stored ones: what it sends replaces, what it leaves out (contact details, language) stays.</summary>
    public static PatientDetails Merge(PatientDetails stored, PatientDetails sent, string? mrn) => sent with
    {
        Email = sent.Email ?? stored.Email,
        Mobile = sent.Mobile ?? stored.Mobile,
        PreferredLanguage = sent.PreferredLanguage ?? stored.PreferredLanguage,
        Mrn = mrn ?? stored.Mrn,
    };
}
