namespace ClinicChat.Realtime;

/// <summary>
/// Publishes a grain's events to their topics' notifiers, keeping each topic's reference for the activation: a
/// conversation pushes to the same few topics for every message, and each <c>GetGrain</c> by a string key encodes the key
/// into a new grain id and allocates a new reference. (The interface's type, which Orleans also recomputed on every call,
/// is cached for the whole process: <c>CachedGrainInterfaceTypes</c>.) Used inside its grain's turns only, so the cache
/// needs no lock.
/// </summary>
internal sealed class TopicPublisher(IGrainFactory grains)
{
    private readonly Dictionary<string, ITopicNotifierGrain> _notifiers = new(StringComparer.Ordinal);

    /// <summary>One-way: a push never holds up the sender. Clients that miss it recover from their seq cursor.</summary>
    public void Publish(ChatEvent chatEvent) => _ = NotifierOf(chatEvent.Topic).PublishAsync(chatEvent);

    private ITopicNotifierGrain NotifierOf(string topic) =>
        _notifiers.TryGetValue(topic, out var notifier) ? notifier : _notifiers[topic] = grains.GetGrain<ITopicNotifierGrain>(topic);
}
