namespace ClinicChat.Web.Realtime;

/// <summary>
/// Client mode only: when this web node regains a gateway after losing them all (a silo restart,
/// a network cut), push subscriptions are renewed and connected browsers are told to resync, rather
/// than waiting for the next periodic renewal.
/// </summary>
public sealed partial class ClusterConnectionWatcher(IServiceProvider services, ILogger<ClusterConnectionWatcher> logger) : IClusterConnectionStatusObserver
{
    public void NotifyClusterConnectionLost() => LogLost();

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (connectionRecovered || (previousNumberOfGateways == 0 && currentNumberOfGateways > 0))
        {
            _ = RecoverAsync();
        }
    }

    private async Task RecoverAsync()
    {
        try
        {
            // Resolved lazily: the relay depends on the cluster client that is calling us.
            await services.GetRequiredService<ChatPushRelay>().RecoverAsync();
        }
        catch (Exception exception)
        {
            // The periodic renewal still heals the subscriptions; clients resync on their next reconnect.
            LogRecoveryFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovering push subscriptions after a reconnect failed.")]
    private partial void LogRecoveryFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to the cluster; pushes pause until it returns.")]
    private partial void LogLost();
}
