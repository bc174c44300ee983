using ClinicChat.Conversations;
using ClinicChat.Integrations;
using ClinicChat.Patients;
using ClinicChat.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Records;

/// <summary>
/// A clinic's patient records. Imports run one at a time per clinic (the grain is not reentrant), so
/// a record's next version is computed from committed storage without races; reads interleave.
/// </summary>
public sealed partial class ClinicRecordsGrain(
    RecordStore records,
    PatientStore patients,
    GroupCommitWriter writer,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time,
    ILogger<ClinicRecordsGrain> logger) : Grain, IClinicRecordsGrain
{
    private Guid ClinicId => this.GetPrimaryKey();

    public async Task<Outcome<ImportSummary>> ImportAsync(Actor actor, IReadOnlyList<IncomingRecord> incoming, PatientChangeSet? patientsFirst)
    {
        // Each kind needs its own write scope (an Admin has them all); an empty import asks whether the caller may import at all.
        var types = incoming.Count == 0 ? [.. Enum.GetValues<RecordKind>().Select(RecordRules.FhirTypeOf)] : incoming.Select(r => RecordRules.FhirTypeOf(r.Kind)).Distinct().ToList();
        var mayImport = incoming.Count == 0 ? types.Any(type => actor.MayWriteFhir(ClinicId, type)) : types.All(type => actor.MayWriteFhir(ClinicId, type));
        if (!mayImport)
        {
            return await GrainFactory.DenyFhirAsync(actor, ClinicId, "records.import",
                types.Where(type => !actor.MayWriteFhir(ClinicId, type)).Select(SmartScopes.Write), "Only the clinic's Admins may import records.");
        }

        if (RecordRules.Validate(incoming) is { } invalid)
        {
            return invalid;
        }

        var known = await patients.PatientsOfClinicAsync(ClinicId, incoming.Select(r => r.PatientId).Distinct().ToList());
        known.UnionWith(patientsFirst?.Created ?? []);
        if (incoming.FirstOrDefault(r => !known.Contains(r.PatientId)) is { } stranger)
        {
            // Unknown and another clinic's patient read the same: the answer must not reveal which.
            return ChatError.Invalid($"Patient/{stranger.PatientId}", $"Patient/{stranger.PatientId} is not a patient of this clinic.");
        }

        var stored = await records.FindAsync(ClinicId, incoming.Select(r => (r.Kind, r.ResourceId)).ToList());
        // Stored to the millisecond: what the import answers (a FHIR lastModified) is then what a read gives back later.
        var now = time.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        var changes = new List<(RecordView Next, RecordKind Kind, bool Created)>();
        var sourceOnly = new List<(RecordView Next, RecordKind Kind)>();
        var results = new List<ImportedRecord>(incoming.Count);
        foreach (var record in incoming)
        {
            stored.TryGetValue((record.Kind, record.ResourceId), out var current);
            if (record.IfMatch is { } expected && current?.Version != expected)
            {
                return new ChatError(ChatErrorCode.VersionConflict, current is null
                    ? $"{RecordRules.ReferenceOf(record)} does not exist yet; send it without If-Match to create it."
                    : $"{RecordRules.ReferenceOf(record)} is at version {current.Version}, not {expected}: read it again.", RecordRules.ReferenceOf(record));
            }

            var change = RecordRules.Compare(current, record);
            switch (change)
            {
                case RecordChange.MovedToAnotherPatient:
                    return ChatError.Invalid(
                        RecordRules.ReferenceOf(record),
                        $"{RecordRules.ReferenceOf(record)} is about another patient; a record cannot move between patients.");
                case RecordChange.Created:
                    changes.Add((new RecordView(Guid.NewGuid(), ClinicId, record.PatientId, record.ResourceId, 1, record.Snapshot, now, Source: record.Source), record.Kind, true));
                    break;
                case RecordChange.Updated:
                    changes.Add((current! with { Version = current.Version + 1, Snapshot = record.Snapshot, UpdatedAt = now, Source = record.Source ?? current.Source }, record.Kind, false));
                    break;
                case RecordChange.Unchanged when record.Source is not null && record.Source != current!.Source:
                    sourceOnly.Add((current with { Source = record.Source }, record.Kind));
                    break;
            }

            var after = change is RecordChange.Created or RecordChange.Updated ? changes[^1].Next : current!;
            results.Add(new ImportedRecord(record.Kind, record.ResourceId, after.Id, after.Version, change switch
            {
                RecordChange.Created => ImportChange.Created,
                RecordChange.Updated => ImportChange.Updated,
                RecordChange.Outdated => ImportChange.Outdated,
                _ => ImportChange.Unchanged,
            }, after.UpdatedAt));
        }

        var audit = changes.Select(c => new AuditEvent(
            AuditActions.RecordImported, actor.UserId, ClinicId, c.Next.PatientId, null, AuditOutcomes.Success,
            $"record={c.Next.Id};kind={c.Kind};version={c.Next.Version}{(c.Next.Snapshot.IsWithdrawn ? ";withdrawn" : string.Empty)}")).ToList();
        await writer.WriteAsync(WriteUnit.Together([
            .. patientsFirst is null ? [] : new[] { PatientWrites.Unit(ClinicId, patientsFirst, now) },
            .. changes.Select(c => RecordStore.Save(c.Next, c.Kind)),
            .. sourceOnly.Select(s => RecordStore.SaveSource(s.Next, s.Kind)),
            AuditLog.Append(now, audit)]));

        foreach (var (next, _, created) in changes.Where(c => !c.Created))
        {
            PublishUpdated(next);
        }

        var summary = new ImportSummary(
            results.Count(r => r.Change == ImportChange.Created), results.Count(r => r.Change == ImportChange.Updated),
            results.Count(r => r.Change == ImportChange.Unchanged), results.Count(r => r.Change == ImportChange.Outdated), results);
        LogImported(ClinicId, summary.Created, summary.Updated, summary.Unchanged, summary.Outdated);
        return summary;
    }

    public async Task<Outcome<RecordView>> ReadAsync(Actor actor, RecordKind kind, string resourceId)
    {
        var type = RecordRules.FhirTypeOf(kind);
        if (!actor.MayReadFhir(ClinicId, type))
        {
            return await GrainFactory.DenyFhirAsync(actor, ClinicId, "records.fhir_read", [SmartScopes.Read(type)], "Only the clinic's Admins may read records over FHIR.");
        }

        if (resourceId.Length is 0 or > RecordRules.MaxResourceIdLength
            || (await records.FindAsync(ClinicId, [(kind, resourceId)])).GetValueOrDefault((kind, resourceId)) is not { } record)
        {
            return ChatError.NotFound();
        }

        await writer.AuditAsync(time.GetUtcNow(), new AuditEvent(
            AuditActions.FhirRead, actor.UserId, ClinicId, record.PatientId, null, AuditOutcomes.Success, $"type={type};record={record.Id}"));
        return record;
    }

    public async Task<Outcome<IReadOnlyList<RecordView>>> ListAsync(Actor actor, Guid patientId, RecordKind kind, int limit, string? search = null)
    {
        if (!(actor.CanChatAt(ClinicId) || actor.IsPatient(patientId) || (kind == RecordKind.Invoice && actor.HasRoleAt(ClinicId, StaffRole.Billing))))
        {
            return await GrainFactory.DenyAsync(actor, ClinicId, patientId, null, "records.list");
        }

        if (limit is < 1 or > RecordRules.MaxListSize)
        {
            return ChatError.Invalid("limit", $"limit must be between 1 and {RecordRules.MaxListSize}.");
        }

        if (search is { Length: > RecordSearch.MaxQueryLength })
        {
            return ChatError.Invalid("q", $"A search is at most {RecordSearch.MaxQueryLength} characters.");
        }

        var now = time.GetUtcNow();
        var includeSensitive = SensitiveRules.MayOpen(sensitive: true, actor, now);
        var words = RecordSearch.Words(search);
        IReadOnlyList<RecordView> found = words.Count == 0
            ? await records.ListAsync(ClinicId, patientId, kind, limit, includeSensitive, now)
            : [.. (await records.ListAsync(ClinicId, patientId, kind, RecordStore.MaxSearched, includeSensitive, now))
                .Where(record => RecordSearch.Matches(record.Snapshot, words)).Take(limit)];

        // The search words are not audited: they may be health data (a medication's name), and the count says what was shown.
        await writer.AuditAsync(now, new AuditEvent(
            AuditActions.RecordsListed, actor.UserId, ClinicId, patientId, ConversationId.For(ClinicId, patientId), AuditOutcomes.Success,
            $"kind={kind};count={found.Count}{(words.Count > 0 ? ";search" : string.Empty)}"));
        return new Outcome<IReadOnlyList<RecordView>>(found, null);
    }

    /// <summary>
    /// Cards referring to the record re-fetch it: on the clinic's staff screens and in the patient's portal, unless the
    /// record is sensitive (see <see cref="SensitiveRules.PushesToPatient"/>).
    /// </summary>
    private void PublishUpdated(RecordView record)
    {
        var conversationId = ConversationId.For(record.ClinicId, record.PatientId);
        var topics = SensitiveRules.PushesToPatient(record)
            ? new[] { Topics.Clinic(record.ClinicId), Topics.Patient(record.PatientId) }
            : [Topics.Clinic(record.ClinicId)];
        foreach (var topic in topics)
        {
            _ = GrainFactory.GetGrain<ITopicNotifierGrain>(topic).PublishAsync(
                new RecordUpdated(topic, conversationId, record.Id, record.Version));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Clinic {ClinicId} imported records: {Created} new, {Updated} changed, {Unchanged} unchanged, {Outdated} older than stored.")]
    private partial void LogImported(Guid clinicId, int created, int updated, int unchanged, int outdated);
}
