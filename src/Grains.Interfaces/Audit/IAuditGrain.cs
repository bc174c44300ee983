namespace ClinicChat.Audit;

/// <summary>An event for the tamper-evident audit log. Never carries message text or names.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.AuditEvent")]
public sealed record AuditEvent(
    [property: Id(0)] string Action,
    [property: Id(1)] string ActorId,
    [property: Id(2)] Guid? ClinicId,
    [property: Id(3)] Guid? PatientId,
    [property: Id(4)] Guid? ConversationId,
    [property: Id(5)] string Outcome,
    [property: Id(6)] string? Detail = null);

/// <summary>Lets the web tier record events that happen outside grains (sign-in, denied requests, audit views).</summary>
[Alias("ClinicChat.Access.IAuditGrain")]
public interface IAuditGrain : IGrainWithIntegerKey
{
    Task RecordAsync(AuditEvent auditEvent);

    /// <summary>Signs the head of the clinic's chain (null: the chain of no clinic). Returns the row id signed, or null for an empty chain.</summary>
    Task<long?> CheckpointAsync(Guid? clinicId);
}
