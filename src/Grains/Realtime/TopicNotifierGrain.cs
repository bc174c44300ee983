using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace ClinicChat.Realtime;

/// <summary>
/// Fans a topic's events out to the web nodes that have a subscriber for it. In memory only: a web
/// node re-subscribes periodically, so a lost activation (or silo) heals within one renewal.
/// </summary>
public sealed partial class TopicNotifierGrain : Grain, ITopicNotifierGrain
{
    private readonly ObserverManager<IChatEventObserver> _observers;
    private readonly ILogger<TopicNotifierGrain> _logger;
    private readonly string _hostedClientKeyPrefix;
    private readonly CancellationToken _processStopping;

    public TopicNotifierGrain(IOptions<RealtimeOptions> options, ILocalSiloDetails silo, IHostApplicationLifetime lifetime, ILogger<TopicNotifierGrain> logger)
    {
        _logger = logger;
        _hostedClientKeyPrefix = HostedClientKeyPrefix(silo.SiloAddress);
        _processStopping = lifetime.ApplicationStopping;
        _observers = new ObserverManager<IChatEventObserver>(options.Value.SubscriptionExpiry, logger);
    }

    public Task SubscribeAsync(IChatEventObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(IChatEventObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task PublishAsync(ChatEvent chatEvent)
    {
        // Per published event: keep the hot path free of the key lookup unless someone is diagnosing.
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            LogPublishing(this.GetPrimaryKeyString(), chatEvent.GetType().Name, _observers.Count);
        }

        return _observers.Notify(observer => observer.OnEventAsync(chatEvent), Recipients(siloShuttingDown: false));
    }

    /// <summary>
    /// Who an event goes to: every subscriber (null: no filter on the hot path), except once this process is stopping
    /// (the host's ApplicationStopping, or the silo deactivating this grain as it shuts down). Then the web node in this
    /// process (embedded mode) is stopping with it and its client is going or gone, so an event to it could only fail,
    /// an Orleans.Messaging error in the log at a graceful stop: closing connections still publish (a patient going
    /// offline), and the deactivation below hands the topic back. Web nodes in other processes are still told.
    /// </summary>
    private Func<IChatEventObserver, bool>? Recipients(bool siloShuttingDown) =>
        siloShuttingDown || _processStopping.IsCancellationRequested
            ? observer => !observer.GetGrainId().Key.ToString()!.StartsWith(_hostedClientKeyPrefix, StringComparison.Ordinal)
            : null;

    /// <summary>
    /// The subscriber list lives only in this activation. A graceful silo shutdown deactivates it, and the web nodes
    /// learn that only from a gateway closing, which can come long before this activation actually goes (deactivating a
    /// silo's grains takes a while under load): their renewals would land here and be lost with it. So the activation
    /// tells its subscribers itself, as it goes (all but this process's own web node when the silo shuts down:
    /// <see cref="Recipients"/>).
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_observers.Count > 0)
        {
            var ended = new SubscriptionEnded(this.GetPrimaryKeyString());
            var told = Recipients(reason.ReasonCode == DeactivationReasonCode.ShuttingDown);
            LogHandingBack(this.GetPrimaryKeyString(), told is null ? _observers.Count : _observers.Count(told), reason.ReasonCode);
            await _observers.Notify(observer => observer.OnEventAsync(ended), told);
        }
    }

    /// <summary>
    /// How the key of an object a silo's own hosted client creates begins: Orleans names that client
    /// <c>hosted-{silo address}</c> and an object of a client <c>{client key}+{object id}</c> (<c>HostedClient</c> and
    /// <c>ObserverGrainId</c>, internal in Orleans 10.4.2; <c>GracefulStopTests</c> fails if that changes).
    /// </summary>
    private static string HostedClientKeyPrefix(SiloAddress silo) => $"hosted-{silo.ToParsableString()}+";

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic}: deactivating ({Reason}); asking {Observers} web nodes to subscribe again.")]
    private partial void LogHandingBack(string topic, int observers, DeactivationReasonCode reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Topic {Topic}: {Kind} to {Observers} web nodes.")]
    private partial void LogPublishing(string topic, string kind, int observers);
}
