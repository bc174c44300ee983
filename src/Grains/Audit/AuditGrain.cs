using ClinicChat.Access;
using ClinicChat.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace ClinicChat.Audit;

[StatelessWorker]
public sealed class AuditGrain(GroupCommitWriter writer, AuditCheckpointSigner signer, [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IAuditGrain
{
    /// <summary>Refusals the web tier records (clinic settings, the audit log) are summarised like the grains' own.</summary>
    public Task RecordAsync(AuditEvent auditEvent)
    {
        if (auditEvent.Action == AuditActions.AccessDenied)
        {
            return GrainFactory.RecordDeniedAsync(auditEvent);
        }

        var now = time.GetUtcNow();
        return writer.AuditAsync(now, auditEvent);
    }

    /// <summary>Without a key (outside Development, unconfigured) there is nothing to sign with: no checkpoint.</summary>
    public Task<long?> CheckpointAsync(Guid? clinicId) =>
        signer.HasKey ? writer.CheckpointAsync(AuditLog.ChainOf(clinicId), signer, time.GetUtcNow()) : Task.FromResult<long?>(null);
}
