using ClinicChat.Access;
using ClinicChat.Audit;
using ClinicChat.Integrations;
using ClinicChat.Records;
using ClinicChat.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Patients;

/// <summary>
/// One clinic's patients as its staff add and edit them. Non-reentrant: a create or edit runs its duplicate check and
/// its write to the end before the next starts, so two front desks adding the same person at once get one patient and
/// one <c>duplicate_patient</c> (the unique MRN index backs the MRN rule up). Each change commits with its audit row.
/// </summary>
public sealed class ClinicPatientsGrain(
    PatientDetailsStore store,
    ExternalIdStore externalIds,
    GroupCommitWriter writer,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IClinicPatientsGrain
{
    private Guid ClinicId => this.GetPrimaryKey();

    public async Task<Outcome<PatientFile>> AddAsync(Actor actor, PatientDetails details, bool smsConsent)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        return await AddAsync(actor, Guid.NewGuid(), details, smsConsent);
    }

    public async Task<Outcome<PatientFile>> UpdateAsync(Actor actor, Guid patientId, PatientDetails details, bool smsConsent)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        if (await store.GetAsync(ClinicId, patientId) is not { } current)
        {
            return await GrainFactory.DenyAsync(actor, ClinicId, null, null, "patients.unknown");
        }

        if (await DuplicateOfAsync(patientId, details) is { } duplicate)
        {
            return duplicate;
        }

        if (smsConsent && details.Mobile is null)
        {
            return ChatError.Invalid("smsConsent", "SMS consent needs a mobile number.");
        }

        var now = time.GetUtcNow();
        var changed = PatientChanges.Between(current.Details, details);
        // Consent is to texts at one number: a new number needs it asked for again.
        var mobileChanged = current.Details.Mobile != details.Mobile;
        var consent = smsConsent && (mobileChanged || current.SmsConsentAt is null) ? new SmsConsent(now, actor.UserId) : null;
        var events = new List<AuditEvent>();
        if (changed.Count > 0)
        {
            events.Add(Audited(AuditActions.PatientUpdated, actor, patientId, "changed=" + string.Join(',', changed)));
        }

        if (consent is not null)
        {
            events.Add(Audited(AuditActions.PatientSmsConsentRecorded, actor, patientId, null));
        }

        if (events.Count > 0)
        {
            await writer.WriteAsync(PatientDetailsStore.Update(ClinicId, patientId, details, consent, clearConsent: mobileChanged, now)
                .Then(AuditLog.Append(now, events)));
        }

        return await FileAsync(patientId);
    }

    public async Task<Outcome<PatientFile>> GetAsync(Actor actor, Guid patientId)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        return await store.GetAsync(ClinicId, patientId) is { } file
            ? file
            : await GrainFactory.DenyAsync(actor, ClinicId, null, null, "patients.unknown");
    }

    public async Task<Outcome<PatientFile>> RecordSmsConsentAsync(Actor actor, Guid patientId)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        if (await store.GetAsync(ClinicId, patientId) is not { } current)
        {
            return await GrainFactory.DenyAsync(actor, ClinicId, null, null, "patients.unknown");
        }

        if (current.Details.Mobile is null)
        {
            return ChatError.Invalid("mobile", "Add a mobile number before recording SMS consent.");
        }

        if (current.SmsConsentAt is null)
        {
            var now = time.GetUtcNow();
            await writer.WriteAsync(PatientDetailsStore.RecordSmsConsent(patientId, new SmsConsent(now, actor.UserId))
                .Then(AuditLog.Append(now, Audited(AuditActions.PatientSmsConsentRecorded, actor, patientId, null))));
        }

        return await FileAsync(patientId);
    }

    /// <summary>
    /// New patients are checked one by one (against the clinic and against the import so far) and then written in one
    /// commit with their audit rows: the demo's few hundred, or a benchmark's tens of thousands, without a flush each.
    /// </summary>
    public async Task<Outcome<int>> ImportAsync(Actor actor, IReadOnlyList<PatientImport> patients)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        var writes = new ImportWrites(this, store, writer, time.GetUtcNow(), actor, source: null);
        foreach (var (id, details) in patients)
        {
            if (await store.GetAsync(ClinicId, id) is not null)
            {
                // Already this clinic's (a re-run): an edit, with its own duplicate check and commit.
                if ((await UpdateAsync(actor, id, details, smsConsent: false)).Error is { } error)
                {
                    return error;
                }

                continue;
            }

            if (await writes.CreateAsync(id, details, "id") is { } invalid)
            {
                return invalid;
            }
        }

        await writes.CommitAsync();
        return patients.Count;
    }

    public async Task<Outcome<EhrImportResult>> ImportFromEhrAsync(
        Actor actor, IReadOnlyList<EhrPatient> patients, IReadOnlyList<PatientKey> keys, IReadOnlyList<IncomingRecord> records)
    {
        // Patients need system/Patient.write; resolving the patients of records needs the records' write scope (checked there).
        var mayImport = patients.Count > 0
            ? actor.MayWriteFhir(ClinicId, "Patient")
            : SmartScopes.ResourceTypes.Any(type => actor.MayWriteFhir(ClinicId, type));
        if (!mayImport)
        {
            return await GrainFactory.DenyFhirAsync(actor, ClinicId, "patients.ehr_import", [SmartScopes.Write("Patient")], "Only the clinic's Admins may import from the EHR.");
        }

        if (keys.Count != records.Count)
        {
            return ChatError.Invalid("keys", "Each record needs the key of its patient.");
        }

        // The EHR ids this import names: its patients', and the records' Patient/{id} references (one lookup each).
        var named = patients.Select(p => p.LogicalId).OfType<string>().Concat(keys.Where(k => k.Kind == PatientKeyKind.Id).Select(k => k.Value));
        var known = await externalIds.FindAsync(ClinicId, [.. named.Distinct(StringComparer.Ordinal)]);
        var writes = new ImportWrites(this, store, writer, time.GetUtcNow(), actor, source: "fhir");
        var imported = new ImportedPatient?[patients.Count];
        var resolved = new Guid?[patients.Count];
        for (var i = 0; i < patients.Count; i++)
        {
            var (logicalId, details, mrn) = patients[i];
            var existing = await FindAsync(logicalId, mrn, known);
            if (existing is null && details is null)
            {
                continue; // Only names a patient; an error if a record refers to it (below).
            }

            var id = existing?.Id ?? Guid.NewGuid();
            resolved[i] = id;
            var change = existing is null ? ImportChange.Created : ImportChange.Unchanged;
            if (details is not null)
            {
                var before = writes.Updated;
                var invalid = existing is null
                    ? await writes.CreateAsync(id, details with { Mrn = mrn }, $"patients[{i}]")
                    : await writes.UpdateAsync(existing, Merge(existing.Details, details, mrn), $"patients[{i}]");
                if (invalid is not null)
                {
                    return invalid;
                }

                change = existing is not null && writes.Updated > before ? ImportChange.Updated : change;
            }

            imported[i] = new ImportedPatient(id, change);
            if (logicalId is not null && !known.ContainsKey(logicalId) && logicalId != id.ToString())
            {
                writes.Link(logicalId, id);
                known[logicalId] = id;
            }
        }

        var about = new List<IncomingRecord>(records.Count);
        for (var k = 0; k < keys.Count; k++)
        {
            if (await ResolveAsync(keys[k], patients, resolved, known) is not { } id)
            {
                // Unknown and another clinic's patient read the same: the answer must not reveal which.
                return ChatError.Invalid($"keys[{k}]", "The reference matches no patient of this clinic.");
            }

            about.Add(records[k] with { PatientId = id });
        }

        if (about.Count == 0)
        {
            await writes.CommitAsync();
            return new EhrImportResult(imported, ImportSummary.Empty);
        }

        // One transaction, one commit: the records grain stores the patients with the records, while this grain waits
        // (it is not reentrant), so no other patient change here can slip in between the checks above and that commit.
        var stored = await GrainFactory.GetGrain<IClinicRecordsGrain>(ClinicId).ImportAsync(actor, about, writes.ToChangeSet());
        return stored.Value is { } summary ? new EhrImportResult(imported, summary) : stored.Error!;
    }

    public async Task<Outcome<PatientFile>> ReadForEhrAsync(Actor actor, string id)
    {
        if (!actor.MayReadFhir(ClinicId, "Patient"))
        {
            return await GrainFactory.DenyFhirAsync(actor, ClinicId, "patients.fhir_read", [SmartScopes.Read("Patient")], "Only the clinic's Admins may read patients over FHIR.");
        }

        var known = await externalIds.FindAsync(ClinicId, [id]);
        if (await FindAsync(id, mrn: null, known) is not { } file)
        {
            return ChatError.NotFound();
        }

        await writer.AuditAsync(time.GetUtcNow(), Audited(AuditActions.FhirRead, actor, file.Id, "type=Patient"));
        return file;
    }

    public Task<string?> GetMrnSystemAsync() => externalIds.GetMrnSystemAsync(ClinicId);

    public async Task<Outcome<string?>> ReadMrnSystemAsync(Actor actor) =>
        await RefuseMrnSystemAsync(actor) is { } refused ? refused : await GetMrnSystemAsync();

    public async Task<Outcome<string?>> SetMrnSystemAsync(Actor actor, string? system)
    {
        if (await RefuseMrnSystemAsync(actor) is { } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        await writer.WriteAsync(ExternalIdStore.SetMrnSystem(ClinicId, system)
            .Then(AuditLog.Append(now, new AuditEvent(AuditActions.ClinicMrnSystemChanged, actor.UserId, ClinicId, null, null, AuditOutcomes.Success, null))));
        return system;
    }

    private async Task<ChatError?> RefuseMrnSystemAsync(Actor actor) =>
        actor.HasRoleAt(ClinicId, StaffRole.Admin)
            ? null
            : await GrainFactory.DenyAsync(actor, ClinicId, null, null, "clinic.mrn_system", actor.IsOf(ClinicId)
                ? new ChatError(ChatErrorCode.Forbidden, "Only the clinic's Admins may see or change its MRN system.")
                : null);

    /// <summary>A patient the EHR sent: by ClinicChat id (the EHR was given ours), by its own id sent before, or by MRN.</summary>
    private async Task<PatientFile?> FindAsync(string? logicalId, string? mrn, Dictionary<string, Guid> known)
    {
        if (Guid.TryParse(logicalId, out var ours) && await store.GetAsync(ClinicId, ours) is { } byOurId)
        {
            return byOurId;
        }

        if (logicalId is not null && known.TryGetValue(logicalId, out var linked) && await store.GetAsync(ClinicId, linked) is { } byTheirId)
        {
            return byTheirId;
        }

        return mrn is not null && await store.FindByMrnAsync(ClinicId, mrn, Guid.Empty) is { } byMrn ? await store.GetAsync(ClinicId, byMrn) : null;
    }

    private async Task<Guid?> ResolveAsync(PatientKey key, IReadOnlyList<EhrPatient> patients, Guid?[] resolved, Dictionary<string, Guid> known)
    {
        switch (key.Kind)
        {
            case PatientKeyKind.Bundled:
                return int.TryParse(key.Value, out var index) && index >= 0 && index < resolved.Length ? resolved[index] : null;
            case PatientKeyKind.Mrn:
                var inImport = patients.Select((p, i) => (p.Mrn, Id: resolved[i])).FirstOrDefault(p => p.Mrn == key.Value && p.Id is not null).Id;
                return inImport ?? await store.FindByMrnAsync(ClinicId, key.Value, Guid.Empty);
            default:
                if (Guid.TryParse(key.Value, out var ours) && await store.GetAsync(ClinicId, ours) is not null)
                {
                    return ours;
                }

                return known.TryGetValue(key.Value, out var linked) ? linked : null;
        }
    }

    /// <summary>The EHR's details over the stored ones: what it sends replaces, what it leaves out (contact details, language) stays.</summary>
    private static PatientDetails Merge(PatientDetails stored, PatientDetails sent, string? mrn) => sent with
    {
        Email = sent.Email ?? stored.Email,
        Mobile = sent.Mobile ?? stored.Mobile,
        PreferredLanguage = sent.PreferredLanguage ?? stored.PreferredLanguage,
        Mrn = mrn ?? stored.Mrn,
    };

    private async Task<Outcome<PatientFile>> AddAsync(Actor actor, Guid patientId, PatientDetails details, bool smsConsent)
    {
        if (await DuplicateOfAsync(patientId, details) is { } duplicate)
        {
            return duplicate;
        }

        if (smsConsent && details.Mobile is null)
        {
            return ChatError.Invalid("smsConsent", "SMS consent needs a mobile number.");
        }

        var now = time.GetUtcNow();
        var consent = smsConsent ? new SmsConsent(now, actor.UserId) : null;
        List<AuditEvent> events = [Audited(AuditActions.PatientCreated, actor, patientId, "fields=" + string.Join(',', PatientChanges.Given(details)))];
        if (consent is not null)
        {
            events.Add(Audited(AuditActions.PatientSmsConsentRecorded, actor, patientId, null));
        }

        await writer.WriteAsync(PatientDetailsStore.Add(ClinicId, patientId, details, consent, now).Then(AuditLog.Append(now, events)));
        return await FileAsync(patientId);
    }

    /// <summary>The same MRN first (a clinic's own identifier is the stronger match), then the same name and birth date.</summary>
    private async Task<ChatError?> DuplicateOfAsync(Guid patientId, PatientDetails details)
    {
        if (details.Mrn is { } mrn && await store.FindByMrnAsync(ClinicId, mrn, patientId) is { } sameMrn)
        {
            return SameMrn(sameMrn);
        }

        return await store.FindByNameAndBirthDateAsync(ClinicId, details, patientId) is { } samePerson ? SamePerson(samePerson) : null;
    }

    private static ChatError SameMrn(Guid existing) =>
        new(ChatErrorCode.DuplicatePatient, "A patient of this clinic has this MRN.", "mrn", existing);

    private static ChatError SamePerson(Guid existing) =>
        new(ChatErrorCode.DuplicatePatient, "A patient of this clinic has this name and date of birth.", "birthDate", existing);

    /// <summary>The patients of an import so far, for the duplicate rules within the import itself.</summary>
    /// <summary>
    /// An import's patient writes, checked one by one (against the clinic and against the import so far) and committed
    /// together with their audit rows (<paramref name="source"/> marks an EHR's, e.g. <c>source=fhir</c>).
    /// </summary>
    private sealed class ImportWrites(ClinicPatientsGrain grain, PatientDetailsStore store, GroupCommitWriter writer, DateTimeOffset now, Actor actor, string? source)
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
            _events.Add(grain.Audited(AuditActions.PatientCreated, actor, id, _prefix + "fields=" + string.Join(',', PatientChanges.Given(details))));
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
                _events.Add(grain.Audited(AuditActions.PatientUpdated, actor, current.Id, _prefix + "changed=" + string.Join(',', changed)));
                Updated++;
            }

            return null;
        }

        public void Link(string externalId, Guid patientId)
        {
            _writes.Add(new PatientWrite(PatientWriteKind.Link, patientId, ExternalId: externalId));
            _events.Add(grain.Audited(AuditActions.PatientExternalIdLinked, actor, patientId, null));
        }

        /// <summary>The writes as data, for the grain that commits them with the records of the same transaction.</summary>
        public PatientChangeSet ToChangeSet() => new([.. _writes], [.. _events]);

        public async Task CommitAsync()
        {
            if (_writes.Count > 0)
            {
                await writer.WriteAsync(PatientWrites.Unit(grain.ClinicId, ToChangeSet(), now));
            }
        }

        private async Task<ChatError?> DuplicateAsync(Guid id, PatientDetails details, string field) =>
            (_batch.DuplicateOf(id, details) ?? await grain.DuplicateOfAsync(id, details)) is { } duplicate
                ? (source is null ? duplicate : duplicate with { Field = field })
                : null;
    }

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
                return SameMrn(sameMrn);
            }

            if (_byPerson.TryGetValue(person, out var samePerson))
            {
                return SamePerson(samePerson);
            }

            if (details.Mrn is { } newMrn)
            {
                _byMrn[newMrn] = id;
            }

            _byPerson[person] = id;
            return null;
        }
    }

    private async Task<Outcome<PatientFile>> FileAsync(Guid patientId) =>
        await store.GetAsync(ClinicId, patientId) ?? throw new InvalidOperationException("A patient just saved is missing.");

    /// <summary>
    /// Clinicians, front desk and Admins of the clinic add and edit its patients. Billing staff may know the clinic's
    /// patients exist but not change them (403); everyone else gets the answer an unknown clinic gets.
    /// </summary>
    private async Task<ChatError?> RefuseAsync(Actor actor)
    {
        if (actor.CanChatAt(ClinicId) || actor.HasRoleAt(ClinicId, StaffRole.Admin))
        {
            return null;
        }

        var member = actor.Kind == ActorKind.Staff && actor.Memberships.Any(m => m.ClinicId == ClinicId);
        return await GrainFactory.DenyAsync(actor, ClinicId, null, null, "patients",
            member ? new ChatError(ChatErrorCode.Forbidden, "Adding and editing patients is for clinicians, front desk and Admins.") : null);
    }

    private AuditEvent Audited(string action, Actor actor, Guid patientId, string? detail) =>
        new(action, actor.UserId, ClinicId, patientId, null, AuditOutcomes.Success, detail);
}
