using ClinicChat.Access;
using ClinicChat.Audit;
using ClinicChat.Conversations;
using ClinicChat.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace ClinicChat.Records;

/// <summary>
/// Reads one record for the cards that refer to it. Stateless: a record changes with each import,
/// so every read goes to storage (one primary-key lookup) and any silo may serve it locally.
/// </summary>
[StatelessWorker]
public sealed class ArtifactGrain(RecordStore records, GroupCommitWriter writer, [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IArtifactGrain
{
    private Guid Id => this.GetPrimaryKey();

    public async Task<Outcome<ArtifactView>> GetAsync(Actor actor)
    {
        var artifact = await records.GetAsync(Id);
        var visible = artifact is not null && (actor.CanChatAt(artifact.ClinicId) || actor.IsPatient(artifact.PatientId));
        var conversationId = artifact is null ? (Guid?)null : ConversationId.For(artifact.ClinicId, artifact.PatientId);
        var now = time.GetUtcNow();
        if (!visible)
        {
            return await GrainFactory.DenyAsync(actor, artifact?.ClinicId, artifact?.PatientId, conversationId, $"record={Id}");
        }

        // Answered like a sensitive message's attachment: the patient knows the record is theirs and is asked to verify.
        if (!SensitiveRules.MayOpen(artifact!, actor, now))
        {
            return await GrainFactory.DenyAsync(actor, artifact!.ClinicId, artifact.PatientId, conversationId, $"record={Id};sensitive_locked",
                new ChatError(ChatErrorCode.SensitiveLocked, "Verify it's you to open this record."));
        }

        var opened = artifact!.Sensitive && actor.Kind == ActorKind.Patient ? ";sensitiveOpened" : string.Empty;
        await writer.AuditAsync(now, new AuditEvent(
            AuditActions.CardViewed, actor.UserId, artifact.ClinicId, artifact.PatientId, conversationId, AuditOutcomes.Success, $"record={Id};version={artifact.Version}{opened}"));
        return artifact;
    }

    public async Task<ArtifactView?> FindForSendAsync(Guid clinicId, Guid patientId) =>
        await records.GetAsync(Id) is { } artifact && artifact.ClinicId == clinicId && artifact.PatientId == patientId ? artifact : null;
}
