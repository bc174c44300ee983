using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Access;

/// <summary>
/// Audits one caller's refusals through <see cref="DeniedAccessWindows"/>. Keyed by the caller alone,
/// not by the target, so that reads of random ids cost one activation per caller, not one per id.
/// The counts of open windows live only in memory: a silo that dies loses at most one window's count
/// (its first refusal is already written); a deactivation writes them first.
/// </summary>
public sealed partial class DeniedAccessGrain(
    GroupCommitWriter writer,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time,
    ILogger<DeniedAccessGrain> logger) : Grain, IDeniedAccessGrain
{
    public static readonly TimeSpan WindowLength = TimeSpan.FromMinutes(1);

    private readonly DeniedAccessWindows _windows = new(WindowLength);
    private IGrainTimer? _timer;

    private string CallerId => this.GetPrimaryKeyString();

    public async Task RecordAsync(AuditEvent denied)
    {
        if (denied.ActorId != CallerId || denied.Outcome != AuditOutcomes.Denied)
        {
            throw new ArgumentException("A refusal is recorded by its own caller's grain.", nameof(denied));
        }

        var now = time.GetUtcNow();
        var rows = _windows.Add(denied, now);
        if (rows.Count > 0)
        {
            await writer.AuditAsync(now, rows);
        }

        ArmTimer(now);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        var summaries = _windows.CloseAll();
        if (summaries.Count > 0)
        {
            try
            {
                await writer.AuditAsync(time.GetUtcNow(), summaries);
            }
            catch (Exception exception)
            {
                LogSummaryLost(exception, CallerId, summaries.Count);
            }
        }
    }

    /// <summary>Fires when the earliest open window ends; the window also closes at the caller's next refusal after its end.</summary>
    private void ArmTimer(DateTimeOffset now)
    {
        if (_windows.NextEnd is not { } end)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var due = end - now;
        due = due < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : due;
        _timer ??= this.RegisterGrainTimer(CloseEndedAsync, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private async Task CloseEndedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var summaries = _windows.CloseEnded(now);
        if (summaries.Count > 0)
        {
            await writer.AuditAsync(now, summaries);
        }

        ArmTimer(now);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} refusal summaries of user {UserId} at deactivation failed; their first refusals are written.")]
    private partial void LogSummaryLost(Exception exception, string userId, int count);
}

/// <summary>The one way refusals reach the audit log.</summary>
public static class DeniedAccess
{
    public static Task RecordDeniedAsync(this IGrainFactory grains, AuditEvent denied) =>
        grains.GetGrain<IDeniedAccessGrain>(denied.ActorId).RecordAsync(denied);

    /// <summary>
    /// Audits a refusal and gives the answer to return: by default "not found", so that a refusal does not tell
    /// the caller whether the thing exists. <paramref name="answer"/> replaces it where the caller may know (a locked
    /// sensitive item of their own, a member without the role).
    /// </summary>
    public static async Task<ChatError> DenyAsync(
        this IGrainFactory grains, Actor actor, Guid? clinicId, Guid? patientId, Guid? conversationId, string? detail = null, ChatError? answer = null)
    {
        await grains.RecordDeniedAsync(new AuditEvent(AuditActions.AccessDenied, actor.UserId, clinicId, patientId, conversationId, AuditOutcomes.Denied, detail));
        return answer ?? ChatError.NotFound();
    }

    /// <summary>
    /// A refused FHIR read or write: the clinic's own integration is told which scopes its token lacks, the clinic's staff
    /// <paramref name="staffRefusal"/>, anyone else finds nothing. Audited like every refusal.
    /// </summary>
    public static Task<ChatError> DenyFhirAsync(this IGrainFactory grains, Actor actor, Guid clinicId, string detail, IEnumerable<string> missingScopes, string staffRefusal) =>
        grains.DenyAsync(actor, clinicId, null, null, detail, actor.IsOf(clinicId)
            ? new ChatError(ChatErrorCode.Forbidden, actor.Kind == ActorKind.Integration ? $"This access token does not carry {string.Join(", ", missingScopes)}." : staffRefusal)
            : null);
}
