using ClinicChat.Integrations;
using ClinicChat.Records;
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

    private PatientDuplicates Duplicates => field ??= new(store, ClinicId);

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

        if (await Duplicates.OfAsync(patientId, details) is { } duplicate)
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

        var writes = new ImportWrites(ClinicId, store, Duplicates, writer, time.GetUtcNow(), actor, source: null);
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
        var match = new EhrPatientMatch(store, ClinicId, await externalIds.FindAsync(ClinicId, [.. named.Distinct(StringComparer.Ordinal)]));
        var writes = new ImportWrites(ClinicId, store, Duplicates, writer, time.GetUtcNow(), actor, source: "fhir");
        var imported = new ImportedPatient?[patients.Count];
        var resolved = new Guid?[patients.Count];
        for (var i = 0; i < patients.Count; i++)
        {
            var (logicalId, details, mrn) = patients[i];
            var existing = await match.FindAsync(logicalId, mrn);
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
                    : await writes.UpdateAsync(existing, EhrPatientMatch.Merge(existing.Details, details, mrn), $"patients[{i}]");
                if (invalid is not null)
                {
                    return invalid;
                }

                change = existing is not null && writes.Updated > before ? ImportChange.Updated : change;
            }

            imported[i] = new ImportedPatient(id, change);
            if (logicalId is not null && match.TryLink(logicalId, id))
            {
                writes.Link(logicalId, id);
            }
        }

        var about = new List<IncomingRecord>(records.Count);
        for (var k = 0; k < keys.Count; k++)
        {
            if (await match.ResolveAsync(keys[k], patients, resolved) is not { } id)
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

        var match = new EhrPatientMatch(store, ClinicId, await externalIds.FindAsync(ClinicId, [id]));
        if (await match.FindAsync(id, mrn: null) is not { } file)
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

    private async Task<Outcome<PatientFile>> AddAsync(Actor actor, Guid patientId, PatientDetails details, bool smsConsent)
    {
        if (await Duplicates.OfAsync(patientId, details) is { } duplicate)
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

    private AuditEvent Audited(string action, Actor actor, Guid patientId, string? detail) => PatientAudit.Of(action, actor, ClinicId, patientId, detail);
}
