using ClinicChat.Conversations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicChat.Notices;

/// <summary>
/// Wakes conversations whose pending notice look is due. It decides nothing: the conversation owns the fact (what the
/// patient has read) and decides. One query per interval, whatever the message rate; each due row is leased to one node.
/// </summary>
public sealed partial class NoticeSweeper(
    NoticeStore store,
    IGrainFactory grains,
    IOptions<NotificationOptions> options,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time,
    ILogger<NoticeSweeper> logger) : ActiveSiloLoop(logger)
{
    private const int BatchSize = 200;

    /// <summary>If a conversation does not answer in this time, another pass (on any node) looks again.</summary>
    private static readonly TimeSpan LeaseFor = TimeSpan.FromMinutes(1);

    /// <summary>One pass: wakes every due conversation (up to a batch). Answers how many it woke.</summary>
    public async Task<int> SweepAsync()
    {
        var now = time.GetUtcNow();
        var due = await store.ClaimDuePendingAsync(now, now + LeaseFor, BatchSize);
        await Task.WhenAll(due.Select(async look =>
        {
            try
            {
                await grains.GetGrain<IConversationGrain>(look.ConversationId).LookForNoticeAsync(look.Audience);
            }
            catch (Exception exception)
            {
                // The lease runs out and the next pass looks again; one thread's trouble must not stop the others.
                LogLookFailed(logger, exception, look.ConversationId);
            }
        }));
        return due.Count;
    }

    protected override bool ShouldRun => options.Value.Enabled && options.Value.RunInBackground;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                while (await SweepAsync() == BatchSize && !stoppingToken.IsCancellationRequested)
                {
                    // A backlog (after downtime): keep going rather than one batch per interval.
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSweepFailed(logger, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId} failed its notice look; it is looked at again later")]
    private static partial void LogLookFailed(ILogger logger, Exception exception, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A notice sweep failed; pending threads wait for the next one")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
