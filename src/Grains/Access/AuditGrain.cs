using ClinicChat.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace ClinicChat.Access;

[StatelessWorker]
public sealed class AuditGrain(GroupCommitWriter writer, AuditCheckpointSigner signer, [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IAuditGrain
{
    public Task RecordAsync(AuditEvent auditEvent)
    {
        var now = time.GetUtcNow();
        return writer.AuditAsync(now, auditEvent);
    }

    public Task<long?> CheckpointAsync(Guid? clinicId) => writer.CheckpointAsync(AuditLog.ChainOf(clinicId), signer, time.GetUtcNow());
}
