using ClinicChat.Audit;

namespace ClinicChat.Web.Audit;

/// <summary>
/// One audit row. <c>actorName</c> and <c>patientName</c> are resolved at read time for the clinic's
/// own people (see <see cref="AuditNames"/>); null where the id is someone outside the clinic.
/// </summary>
public sealed record AuditEventDto(
    long Id, DateTimeOffset OccurredAt, string Action, string ActorId, Guid? ClinicId, Guid? PatientId, Guid? ConversationId, string Outcome, string? Detail)
{
    public string? ActorName { get; init; }

    public string? PatientName { get; init; }

    public static AuditEventDto From(AuditEntry row) => new(
        row.Id, row.OccurredAt, row.Event.Action, row.Event.ActorId, row.Event.ClinicId, row.Event.PatientId, row.Event.ConversationId, row.Event.Outcome, row.Event.Detail);
}

public sealed record AuditPatientDto(Guid Id, string DisplayName);

public sealed record AuditPageDto(IReadOnlyList<AuditEventDto> Events, long? NextBefore);

/// <summary><c>brokenAtId</c> is the audit row id where the chain breaks; <c>position</c> its 1-based place in the chain.</summary>
public sealed record AuditVerificationDto(bool Ok, long Rows, long Checkpoints, long? BrokenAtId, long? Position, string? Problem, long? CheckpointId, string? Detail)
{
    public static AuditVerificationDto From(AuditVerification v) =>
        new(v.Ok, v.Rows, v.Checkpoints, v.BrokenAtId, v.Position, AuditVerification.CodeOf(v.Problem), v.CheckpointId, v.Detail);
}
