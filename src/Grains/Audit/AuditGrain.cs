using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace ClinicChat.Audit;

[StatelessWorker]
public sealed class AuditGrain(GroupCommitWriter writer, [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IAuditGrain
{
    /// <summary>Refusals the web tier records are summarised like the grains' own.</summary>
    public Task RecordAsync(AuditEvent auditEvent)
    {
        if (auditEvent.Action == AuditActions.AccessDenied)
        {
            return GrainFactory.RecordDeniedAsync(auditEvent);
        }

        var now = time.GetUtcNow();
        return writer.AuditAsync(now, auditEvent);
    }
}
