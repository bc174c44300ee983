using ClinicChat.Access;
using ClinicChat.Audit;
using ClinicChat.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClinicChat.Hosting;

/// <summary>
/// The periodic half of audit checkpoints: every interval, signs the head of each chain that moved
/// since its last checkpoint (verification signs on demand too). Several silos may both sign the same
/// head; a duplicate checkpoint is harmless, and one that finds its head already signed writes nothing.
/// </summary>
public sealed partial class AuditCheckpointService(
    AuditStore store,
    GroupCommitWriter writer,
    AuditCheckpointSigner signer,
    IOptions<AuditOptions> options,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time,
    ILogger<AuditCheckpointService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!signer.HasKey)
        {
            LogNoKey(AuditOptions.Section);
            return;
        }

        using var timer = new PeriodicTimer(options.Value.CheckpointInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckpointAllAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The next tick tries again; a missed checkpoint only widens the window it covers.
                LogFailed(exception);
            }
        }
    }

    /// <summary>One tick: signs the head of every chain not yet signed up to its newest row.</summary>
    public async Task CheckpointAllAsync(CancellationToken cancellationToken = default)
    {
        foreach (var chain in await store.ChainsAsync(cancellationToken))
        {
            await writer.CheckpointAsync(chain, signer, time.GetUtcNow());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Section}:CheckpointKey is not set: audit checkpoints are not signed on this node. Production must set a key.")]
    private partial void LogNoKey(string section);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing audit checkpoints failed.")]
    private partial void LogFailed(Exception exception);
}
