namespace ClinicChat.Web.Realtime;

/// <summary>
/// Client mode only: when this web node regains a gateway after losing them all (a silo restart,
/// a network cut), or loses one while others remain (a silo died and took its topic notifiers with
/// it), push subscriptions are renewed and connected browsers are told to resync, rather than
/// waiting for the next periodic renewal. After a silo dies, calls to its grains fail until the
/// cluster declares it dead, so recovery is retried every couple of seconds until it succeeds.
/// </summary>
public sealed partial class ClusterConnectionWatcher(IServiceProvider services, ILogger<ClusterConnectionWatcher> logger) : IClusterConnectionStatusObserver
{
    /// <summary>
    /// Renews (and asks clients to resync) twice more after the first success: while the cluster is
    /// still settling (a dead silo not yet declared dead, directory entries moving) a subscription can
    /// land on an activation that does not last. Measured: without this, a push after a silo kill
    /// was occasionally lost until the next periodic renewal.
    /// </summary>
    private async Task SettleAsync()
    {
        foreach (var delay in SettleDelays)
        {
            await Task.Delay(delay);
            try
            {
                await services.GetRequiredService<ChatPushRelay>().RecoverAsync();
            }
            catch (Exception exception)
            {
                LogRecoveryFailed(exception);
            }
        }
    }

    private static readonly TimeSpan[] SettleDelays = [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

    /// <summary>Two minutes of attempts: longer than Orleans takes to declare a dead silo dead by default.</summary>
    private const int MaxAttempts = 60;

    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    public void NotifyClusterConnectionLost() => LogLost();

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        var regained = connectionRecovered || (previousNumberOfGateways == 0 && currentNumberOfGateways > 0);
        var siloLeft = currentNumberOfGateways > 0 && currentNumberOfGateways < previousNumberOfGateways;
        if (regained || siloLeft)
        {
            _ = RecoverAsync();
        }
    }

    private async Task RecoverAsync()
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            try
            {
                // Resolved lazily: the relay depends on the cluster client that is calling us.
                if (await services.GetRequiredService<ChatPushRelay>().RecoverAsync())
                {
                    await SettleAsync();
                    return;
                }
            }
            catch (Exception exception)
            {
                LogRecoveryFailed(exception);
            }

            await Task.Delay(RetryInterval);
        }

        // The periodic renewal still heals the subscriptions; clients resync on their next reconnect.
    }


    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovering push subscriptions after a reconnect failed.")]
    private partial void LogRecoveryFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to the cluster; pushes pause until it returns.")]
    private partial void LogLost();
}
