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

/// <summary>
/// Lets the web tier record events that happen outside grains (sign-in, sign-out, two-step enrolment). Reading a
/// clinic's log is <see cref="IClinicAuditGrain"/>'s.
/// </summary>
[Alias("ClinicChat.Access.IAuditGrain")]
public interface IAuditGrain : IGrainWithIntegerKey
{
    Task RecordAsync(AuditEvent auditEvent);
}
