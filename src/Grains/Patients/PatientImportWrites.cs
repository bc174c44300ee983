namespace ClinicChat.Patients;

/// <summary>
/// A clinic's duplicate rules: the same MRN first (a clinic's own identifier is the stronger match), then the same name and
/// birth date. The refusal names the patient already there.
/// </summary>
internal sealed class PatientDuplicates(PatientDetailsStore store, Guid clinicId)
{
    /// <summary>The refusal when another patient of the clinic (not <paramref name="patientId"/>) is this person.</summary>
    public async Task<ChatError?> OfAsync(Guid patientId, PatientDetails details)
    {
        if (details.Mrn is { } mrn && await store.FindByMrnAsync(clinicId, mrn, patientId) is { } sameMrn)
        {
            return SameMrn(sameMrn);
        }

        return await store.FindByNameAndBirthDateAsync(clinicId, details, patientId) is { } samePerson ? SamePerson(samePerson) : null;
    }

    public static ChatError SameMrn(Guid existing) =>
        new(ChatErrorCode.DuplicatePatient, "A patient of this clinic has this MRN.", "mrn", existing);

    public static ChatError SamePerson(Guid existing) =>
        new(ChatErrorCode.DuplicatePatient, "A patient of this clinic has this name and date of birth.", "birthDate", existing);
}

internal static class PatientAudit
{
    /// <summary>A change to a patient's file by <paramref name="actor"/>, as its audit row says it.</summary>
    public static AuditEvent Of(string action, Actor actor, Guid clinicId, Guid patientId, string? detail) =>
        new(action, actor.UserId, clinicId, patientId, null, AuditOutcomes.Success, detail);
}

/// <summary>
/// An import's patient writes, checked one by one (against the clinic and against the import so far) and committed
/// together with their audit rows (<paramref name="source"/> marks an EHR's, e.g. <c>source=fhir</c>).
/// </summary>
internal sealed class ImportWrites(
    Guid clinicId, PatientDetailsStore store, PatientDuplicates duplicates, GroupCommitWriter writer, DateTimeOffset now, Actor actor, string? source)
{
    private readonly List<PatientWrite> _writes = [];
    private readonly List<AuditEvent> _events = [];
    private readonly ImportBatch _batch = new();
    private readonly string _prefix = source is null ? string.Empty : $"source={source};";

    public int Created { get; private set; }

    public int Updated { get; private set; }

    /// <summary>Refused (named as <paramref name="field"/>) when the id is another clinic's patient or the person is there already.</summary>
    public async Task<ChatError?> CreateAsync(Guid id, PatientDetails details, string field)
    {
        if (await store.ExistsAsync(id))
        {
            return ChatError.Invalid(field, "The id is another clinic's patient.");
        }

        if (await DuplicateAsync(id, details, field) is { } duplicate)
        {
            return duplicate;
        }

        _writes.Add(new PatientWrite(PatientWriteKind.Add, id, details));
        _events.Add(Audited(AuditActions.PatientCreated, id, _prefix + "fields=" + string.Join(',', PatientChanges.Given(details))));
        Created++;
        return null;
    }

    /// <summary>Writes only what changed; a new mobile number drops the SMS consent given for the old one.</summary>
    public async Task<ChatError?> UpdateAsync(PatientFile current, PatientDetails next, string field)
    {
        if (await DuplicateAsync(current.Id, next, field) is { } duplicate)
        {
            return duplicate;
        }

        if (PatientChanges.Between(current.Details, next) is { Count: > 0 } changed)
        {
            _writes.Add(new PatientWrite(PatientWriteKind.Update, current.Id, next, ClearConsent: current.Details.Mobile != next.Mobile));
            _events.Add(Audited(AuditActions.PatientUpdated, current.Id, _prefix + "changed=" + string.Join(',', changed)));
            Updated++;
        }

        return null;
    }

    public void Link(string externalId, Guid patientId)
    {
        _writes.Add(new PatientWrite(PatientWriteKind.Link, patientId, ExternalId: externalId));
        _events.Add(Audited(AuditActions.PatientExternalIdLinked, patientId, null));
    }

    /// <summary>The writes as data, for the grain that commits them with the records of the same transaction.</summary>
    public PatientChangeSet ToChangeSet() => new([.. _writes], [.. _events]);

    public async Task CommitAsync()
    {
        if (_writes.Count > 0)
        {
            await writer.WriteAsync(PatientWrites.Unit(clinicId, ToChangeSet(), now));
        }
    }

    private AuditEvent Audited(string action, Guid patientId, string? detail) => PatientAudit.Of(action, actor, clinicId, patientId, detail);

    private async Task<ChatError?> DuplicateAsync(Guid id, PatientDetails details, string field) =>
        (_batch.DuplicateOf(id, details) ?? await duplicates.OfAsync(id, details)) is { } duplicate
            ? (source is null ? duplicate : duplicate with { Field = field })
            : null;

    /// <summary>The patients of an import so far, for the duplicate rules within the import itself.</summary>
    private sealed class ImportBatch
    {
        private readonly Dictionary<string, Guid> _byMrn = [];
        private readonly Dictionary<(string, string, DateOnly), Guid> _byPerson = [];

        /// <summary>The refusal when an earlier patient of the import is this one; otherwise remembers them.</summary>
        public ChatError? DuplicateOf(Guid id, PatientDetails details)
        {
            var person = (NameSearch.Normalize(details.GivenName), NameSearch.Normalize(details.FamilyName), details.BirthDate);
            if (details.Mrn is { } mrn && _byMrn.TryGetValue(mrn, out var sameMrn))
            {
                return PatientDuplicates.SameMrn(sameMrn);
            }

            if (_byPerson.TryGetValue(person, out var samePerson))
            {
                return PatientDuplicates.SamePerson(samePerson);
            }

            if (details.Mrn is { } newMrn)
            {
                _byMrn[newMrn] = id;
            }

            _byPerson[person] = id;
            return null;
        }
    }
}
