using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicChat.Notices;

/// <summary>
/// Sends what the outbox holds. Each node runs one; a row is leased to one node at a time (<see cref="NoticeStore.ClaimDueNoticesAsync"/>),
/// sent through the <see cref="INoticeSender"/> for its channel, and its outcome committed with its audit row. A node that dies
/// mid-send leaves the lease to run out and the row is sent again: at least once to the provider, with the row's id as the
/// idempotency key where the provider takes one; once per decision in our records.
/// </summary>
public sealed partial class NoticeDispatcher(
    NoticeStore store,
    GroupCommitWriter writer,
    ChatDatabase database,
    IEnumerable<INoticeSender> senders,
    NoticeLinks links,
    IOptions<NotificationOptions> options,
    IHostEnvironment environment,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time,
    ILogger<NoticeDispatcher> logger) : ActiveSiloLoop(logger)
{
    /// <summary>Rows per claim and per commit of outcomes: one flush per batch, not per notice.</summary>
    public const int BatchSize = 100;

    /// <summary>Longer than a batch can take to send; a lease that runs out means the node died or hung.</summary>
    public static readonly TimeSpan LeaseFor = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly Dictionary<NoticeChannel, INoticeSender> _senders = senders.ToDictionary(s => s.Channel);
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>A decision was queued on this node: look now rather than at the next poll.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Woken already.
            }
        }
    }

    /// <summary>Channels with a provider; the others are held (development) or fail (elsewhere).</summary>
    public IReadOnlyCollection<NoticeChannel> ConfiguredChannels => _senders.Keys;

    /// <summary>One pass: claims due rows, sends them, commits their outcomes. Answers how many rows it handled.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var claimed = await store.ClaimDueNoticesAsync(_owner, now, now + LeaseFor, BatchSize);
        if (claimed.Count == 0)
        {
            return 0;
        }

        var clinics = await store.ReadClinicsAsync(claimed.Where(n => n.ClinicId is not null).Select(n => n.ClinicId!.Value));
        List<WriteUnit> outcomes = [];
        List<AuditEvent> audits = [];
        foreach (var notice in claimed)
        {
            var clinicName = notice.ClinicId is { } clinicId && clinics.TryGetValue(clinicId, out var clinic) ? clinic.Name : "ClinicChat";
            var result = await SendAsync(notice, clinicName, cancellationToken);
            var finishedAt = time.GetUtcNow();
            switch (result.Status)
            {
                case NoticeSendStatus.Sent:
                    outcomes.Add(NoticeStore.MarkSent(notice.Id, result.ProviderMessageId, finishedAt));
                    audits.Add(Audit(notice, AuditActions.NoticeSent, AuditOutcomes.Success, null));
                    break;
                case NoticeSendStatus.RetryLater when notice.Attempts < NoticeRules.MaxAttempts:
                    outcomes.Add(NoticeStore.MarkRetry(notice.Id, result.ErrorCode ?? "retry", finishedAt + NoticeRules.Backoff(notice.Attempts)));
                    LogRetry(logger, notice.Id, notice.Attempts, result.ErrorCode);
                    break;
                case NoticeSendStatus.Held:
                    outcomes.Add(NoticeStore.MarkHeld(notice.Id, finishedAt));
                    audits.Add(Audit(notice, AuditActions.NoticeSent, AuditOutcomes.Success, "held=development-outbox"));
                    break;
                default:
                    var code = result.Status == NoticeSendStatus.RetryLater ? "retries_exhausted" : result.ErrorCode ?? "failed";
                    outcomes.Add(NoticeStore.MarkFailed(notice.Id, code, finishedAt));
                    audits.Add(Audit(notice, AuditActions.NoticeFailed, AuditOutcomes.Failure, $"error={code}"));
                    LogFailed(logger, notice.Id, code);
                    break;
            }
        }

        await writer.WriteAsync(WriteUnit.Together(outcomes).Then(AuditLog.Append(time.GetUtcNow(), audits)));
        return claimed.Count;
    }

    protected override bool ShouldRun => options.Value.Enabled && options.Value.RunInBackground;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!database.Dialect.ServesCluster)
        {
            await store.ReleaseAllLeasesAsync();
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try
            {
                handled = await DispatchDueAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database may be away for a moment; the rows wait, leased or not, and nothing is lost.
                LogPassFailed(logger, exception);
            }

            if (handled < BatchSize)
            {
                await _wake.WaitAsync(IdlePoll, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task<NoticeSendResult> SendAsync(ClaimedNotice notice, string clinicName, CancellationToken cancellationToken)
    {
        if (!_senders.TryGetValue(notice.Channel, out var sender))
        {
            // No provider for the channel: in development the notice stays in the outbox for the Admin's view; a
            // production node refuses to start without any channel, so here a notice for a missing one fails visibly.
            return environment.IsDevelopment() ? new NoticeSendResult(NoticeSendStatus.Held) : NoticeSendResult.Failed("channel_not_configured");
        }

        try
        {
            return await sender.SendAsync(
                new OutgoingNotice(notice.Id, notice.Channel, notice.Template, notice.Address, clinicName, notice.Link, notice.Code, links.Preferences(), notice.Attempts),
                cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Senders answer provider failures as results; an exception is our bug or an outage: retry, and say so.
            LogSenderThrew(logger, exception, notice.Id);
            return NoticeSendResult.Retry("sender_exception");
        }
    }

    private static AuditEvent Audit(ClaimedNotice notice, string action, string outcome, string? extra) => new(
        action, "system", notice.ClinicId, notice.PatientId, notice.ConversationId, outcome,
        $"channel={notice.Channel.ToString().ToLowerInvariant()} template={notice.Template} to={ContactMasks.Mask(notice.Channel, notice.Address)} attempt={notice.Attempts}"
        + (extra is null ? string.Empty : " " + extra));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice {NoticeId} attempt {Attempt} will be retried ({ErrorCode})")]
    private static partial void LogRetry(ILogger logger, Guid noticeId, int attempt, string? errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notice {NoticeId} failed ({ErrorCode})")]
    private static partial void LogFailed(ILogger logger, Guid noticeId, string errorCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notice {NoticeId}: its sender threw; retrying later")]
    private static partial void LogSenderThrew(ILogger logger, Exception exception, Guid noticeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notice dispatch pass failed; the outbox keeps its rows")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
