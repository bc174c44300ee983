using ClinicChat.Conversations;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace ClinicChat.Records;

/// <summary>
/// Reads one record for the cards that refer to it. Stateless: a record changes with each import,
/// so every read goes to storage (one primary-key lookup) and any silo may serve it locally.
/// </summary>
[StatelessWorker]
public sealed class RecordGrain(RecordStore records, GroupCommitWriter writer, [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IRecordGrain
{
    private Guid Id => this.GetPrimaryKey();

    public async Task<Outcome<RecordView>> GetAsync(Actor actor)
    {
        var record = await records.GetAsync(Id);
        // Billing staff take part in billing threads, where invoices are sent: they may open the clinic's invoices, nothing else.
        var visible = record is not null && (actor.CanChatAt(record.ClinicId) || actor.IsPatient(record.PatientId)
            || (record.Snapshot.Kind == RecordKind.Invoice && actor.HasRoleAt(record.ClinicId, StaffRole.Billing)));
        var conversationId = record is null ? (Guid?)null : ConversationId.For(record.ClinicId, record.PatientId);
        var now = time.GetUtcNow();
        if (!visible)
        {
            return await GrainFactory.DenyAsync(actor, record?.ClinicId, record?.PatientId, conversationId, $"record={Id}");
        }

        // Answered like a sensitive message's attachment: the patient knows the record is theirs and is asked to verify.
        if (!SensitiveRules.MayOpen(record!, actor, now))
        {
            return await GrainFactory.DenyAsync(actor, record!.ClinicId, record.PatientId, conversationId, $"record={Id};sensitive_locked",
                new ChatError(ChatErrorCode.SensitiveLocked, "Verify it's you to open this record."));
        }

        var opened = record!.Sensitive && actor.Kind == ActorKind.Patient ? ";sensitiveOpened" : string.Empty;
        await writer.AuditAsync(now, new AuditEvent(
            AuditActions.CardViewed, actor.UserId, record.ClinicId, record.PatientId, conversationId, AuditOutcomes.Success, $"record={Id};version={record.Version}{opened}"));

        // Staff see what was entered in error (they may need to tell the patient what changed); the patient sees only that
        // it was withdrawn.
        return record.Snapshot.IsWithdrawn && actor.Kind == ActorKind.Patient
            ? record with { Snapshot = RecordSnapshot.Withdrawn(record.Snapshot.Kind) }
            : record;
    }

    public async Task<RecordView?> FindForSendAsync(Guid clinicId, Guid patientId) =>
        await records.GetAsync(Id) is { } record && record.ClinicId == clinicId && record.PatientId == patientId ? record : null;
}
