using ClinicChat.Audit;

namespace ClinicChat.Access;

/// <summary>
/// Every refused read or action is audited through this grain, one per caller (keyed by the caller's
/// user id), so that a flood of refusals cannot flood the audit log: per clinic and window the first
/// refusal is written at once and the rest as one summary row when the window closes.
/// </summary>
public interface IDeniedAccessGrain : IGrainWithStringKey
{
    /// <summary>Completes once the refusal is durable (the first of its window) or counted (the rest).</summary>
    Task RecordAsync(AuditEvent denied);
}
