using Microsoft.Extensions.Logging;

namespace ClinicChat.Notices;

/// <summary>
/// Work a silo repeats in the background while it is active: it starts once the silo is (schema migrated, grains
/// callable) and stops before the silo does. A hosted service would start before the silo's schema migration in
/// embedded mode (and in the build's OpenAPI run), and meet missing tables.
/// </summary>
public abstract class ActiveSiloLoop(ILogger logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private CancellationTokenSource? _stopping;
    private Task _loop = Task.CompletedTask;

    protected abstract bool ShouldRun { get; }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.Active, StartAsync, StopAsync);

    /// <summary>Runs until <paramref name="stopping"/>; each round's failure is the loop's own to log and survive.</summary>
    protected abstract Task RunAsync(CancellationToken stopping);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        if (ShouldRun)
        {
            _stopping = new CancellationTokenSource();
            _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await _loop.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped, as asked.
        }
        catch (Exception exception)
        {
            logger.LogWarning(exception, "{Loop} ended with an error while stopping", GetType().Name);
        }
        finally
        {
            _stopping.Dispose();
        }
    }
}
