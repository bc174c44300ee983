using ClinicChat.Realtime;
using ClinicChat.Web.Conversations;
using ClinicChat.Web.Records;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Realtime;

/// <summary>
/// This web node's end of the push path: one grain observer for the whole node, subscribed to every
/// topic that has at least one local connection, and renewed well inside the subscription expiry so
/// that a restarted silo or a lost notifier activation heals by itself. Events go to SignalR groups.
/// </summary>
public sealed partial class ChatPushRelay(
    IGrainFactory grains,
    IHubContext<ChatHub, IChatClient> hub,
    IOptions<RealtimeOptions> options,
    SessionConnections sessions,
    RealtimeMetrics metrics,
    TimeProvider time,
    ILogger<ChatPushRelay> logger) : BackgroundService, IChatEventObserver
{
    private readonly Dictionary<string, int> _connectionsByTopic = [];
    private readonly Dictionary<Guid, HashSet<string>> _patientConnections = [];
    private readonly Lock _gate = new();
    private IChatEventObserver? _reference;
    private PushWindow<ChatEvent>? _staffPushes;

    /// <summary>
    /// A clinic's staff topics get their pushes in bursts of up to <see cref="StaffPushWindow"/>; a patient's and a user's,
    /// each at once. Every staff tab of the clinic receives everything of its clinic: with 50 tabs open, each message was
    /// 50 frames and its patient's delivery receipt 50 more, each parsed and handled by every tab. A new message or tick
    /// shown up to 50 ms later is not something a person sees; at 500 messages a second a staff tab gets at most 40
    /// frames a second instead of about 1,000, and the clinic day's knee moved from ~740 to ~820 msg/s with half the p99
    /// at 500 msg/s (docs/benchmarks.md). A patient's topic (one or two devices, and the latency the product promises)
    /// goes through no window.
    /// </summary>
    private PushWindow<ChatEvent> StaffPushes => _staffPushes ??= new PushWindow<ChatEvent>(
        StaffPushWindow, time, DeliverAsync, (exception, topic) => LogPushFailed(exception, topic));

    public static readonly TimeSpan StaffPushWindow = TimeSpan.FromMilliseconds(50);

    private IChatEventObserver Reference
    {
        get
        {
            lock (_gate)
            {
                return _reference ??= grains.CreateObjectReference<IChatEventObserver>(this);
            }
        }
    }

    public async Task AcquireAsync(string topic)
    {
        bool first;
        lock (_gate)
        {
            _connectionsByTopic[topic] = _connectionsByTopic.GetValueOrDefault(topic) + 1;
            first = _connectionsByTopic[topic] == 1;
        }

        if (first)
        {
            await grains.GetGrain<ITopicNotifierGrain>(topic).SubscribeAsync(Reference);
        }
    }

    /// <summary>
    /// Forgets a connection. The last one does not unsubscribe: the subscription simply stops being
    /// renewed and lapses. An explicit unsubscribe could overtake the subscribe of a connection that
    /// arrives at the same moment (a page reload) and silence the topic until the next renewal.
    /// </summary>
    public Task ReleaseAsync(string topic)
    {
        lock (_gate)
        {
            var count = _connectionsByTopic.GetValueOrDefault(topic) - 1;
            if (count <= 0)
            {
                _connectionsByTopic.Remove(topic);
            }
            else
            {
                _connectionsByTopic[topic] = count;
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>A patient's portal connection on this node: counts towards "online" until it goes or stops being renewed.</summary>
    public Task PatientConnectedAsync(Guid patientId, string connectionId)
    {
        lock (_gate)
        {
            if (!_patientConnections.TryGetValue(patientId, out var connections))
            {
                _patientConnections[patientId] = connections = [];
            }

            connections.Add(connectionId);
        }

        return grains.GetGrain<IPresenceGrain>(patientId).ConnectedAsync(connectionId);
    }

    public Task PatientDisconnectedAsync(Guid patientId, string connectionId)
    {
        lock (_gate)
        {
            if (_patientConnections.TryGetValue(patientId, out var connections) && connections.Remove(connectionId) && connections.Count == 0)
            {
                _patientConnections.Remove(patientId);
            }
        }

        return grains.GetGrain<IPresenceGrain>(patientId).DisconnectedAsync(connectionId);
    }

    public Task OnEventAsync(ChatEvent chatEvent)
    {
        LogEvent(chatEvent.Topic, chatEvent.GetType());
        if (chatEvent is SessionsEnded ended)
        {
            sessions.Close(ended.SessionIds);
            return Task.CompletedTask;
        }

        if (chatEvent is SubscriptionEnded lapsed)
        {
            _ = ResubscribeAsync(lapsed.Topic);
            return Task.CompletedTask;
        }

        return Topics.IsStaff(chatEvent.Topic) ? StaffPushes.PushAsync(chatEvent.Topic, chatEvent) : DeliverAsync(chatEvent.Topic, [chatEvent]);
    }

    /// <summary>A topic's events as browser pushes, one per frame of <see cref="Frames"/>.</summary>
    private async Task DeliverAsync(string topic, IReadOnlyList<ChatEvent> events)
    {
        var group = hub.Clients.Group(topic);
        foreach (var frame in Frames(events))
        {
            switch (frame[0])
            {
                case MessageAdded:
                    await group.MessageAdded([.. frame.Cast<MessageAdded>().Select(MessageOf)]);
                    break;
                case ReceiptsUpdated:
                    await group.ReceiptsUpdated([.. frame.Cast<ReceiptsUpdated>().Select(ReceiptsOf)]);
                    break;
                default:
                    await PushAsync(group, frame[0]);
                    break;
            }
        }
    }

    /// <summary>
    /// A burst's frames, in the order the events came, except that between two events of other kinds the new messages
    /// go in one frame and then the receipts in one. Other kinds keep their place: a typing indicator that came before a
    /// message must not arrive after it (it would show the patient typing again), nor a withdrawal before the message it
    /// withdraws. A receipt moved behind a message of its run is harmless: cursors only move forward.
    /// </summary>
    public static IEnumerable<IReadOnlyList<ChatEvent>> Frames(IReadOnlyList<ChatEvent> events)
    {
        List<ChatEvent>? messages = null;
        List<ChatEvent>? receipts = null;
        foreach (var chatEvent in events)
        {
            switch (chatEvent)
            {
                case MessageAdded:
                    (messages ??= []).Add(chatEvent);
                    break;
                case ReceiptsUpdated:
                    (receipts ??= []).Add(chatEvent);
                    break;
                default:
                    foreach (var run in Runs())
                    {
                        yield return run;
                    }

                    yield return [chatEvent];
                    break;
            }
        }

        foreach (var run in Runs())
        {
            yield return run;
        }

        IEnumerable<IReadOnlyList<ChatEvent>> Runs()
        {
            if (messages is not null)
            {
                yield return messages;
                messages = null;
            }

            if (receipts is not null)
            {
                yield return receipts;
                receipts = null;
            }
        }
    }

    private MessageDto MessageOf(MessageAdded added)
    {
        metrics.MessagePushed(time.GetUtcNow() - added.Message.SentAt);
        return MessageDto.From(added.Message, status: null);
    }

    private static ReceiptsUpdatedDto ReceiptsOf(ReceiptsUpdated moved) => new(
        moved.ConversationId, MessageDto.SideName(moved.Side), moved.Receipts.DeliveredUpTo, moved.Receipts.ReadUpTo,
        moved.ActorName, moved.Receipts.SensitiveReadUpTo, moved.ActorId, moved.Reader is { } reader ? ReaderMoveDto.From(reader) : null);

    private static Task PushAsync(IChatClient group, ChatEvent chatEvent) => chatEvent switch
    {
        TypingStarted typing => group.Typing(new TypingDto(typing.ConversationId, MessageDto.SideName(typing.Side), typing.ActorName, typing.ActorId)),
        PresenceChanged presence => group.PresenceChanged(new PresenceDto(presence.ConversationId, presence.Online)),
        RecordUpdated changed => group.RecordUpdated(new RecordUpdatedDto(changed.RecordId, changed.ConversationId, changed.Version)),
        ConversationUpdated updated => group.ConversationUpdated(new ConversationUpdatedDto(updated.ConversationId)),
        MessageWithdrawn withdrawn => group.MessageWithdrawn(new MessageWithdrawnDto(withdrawn.ConversationId, withdrawn.Seq)),
        StaffItemAdded added => group.StaffItemAdded(new StaffItemPushDto(StaffItemDto.From(added.Item), ThreadTeamDto.From(added.Team))),
        Mentioned mentioned => group.Mentioned(new MentionDto(mentioned.ConversationId, mentioned.ItemSeq, mentioned.ByName)),
        _ => throw new ArgumentOutOfRangeException(nameof(chatEvent), chatEvent.GetType().Name, "A push kind without a browser payload."),
    };

    /// <summary>
    /// After the cluster connection came back or a silo left: subscribe every topic again at once (the
    /// notifier activations may be new) and tell every connected client to resync what it missed
    /// meanwhile. False when some topic could not be renewed yet (the caller tries again).
    /// </summary>
    public async Task<bool> RecoverAsync()
    {
        LogRecovering();
        var renewed = await RenewAllAsync(CancellationToken.None);
        await hub.Clients.All.Subscribed();
        return renewed;
    }

    /// <summary>
    /// The topic's notifier activation went away with our subscription. The old activation is still finishing its
    /// deactivation (its silo may be shutting down), so subscribe a moment later, when the call places a new activation
    /// on a live silo, and once more after the cluster settled; each time, the topic's clients resync what they missed.
    /// </summary>
    private async Task ResubscribeAsync(string topic)
    {
        foreach (var delay in ResubscribeDelays)
        {
            await Task.Delay(delay, time);
            lock (_gate)
            {
                if (!_connectionsByTopic.ContainsKey(topic))
                {
                    return;
                }
            }

            if (await TrySubscribeAsync(topic, CancellationToken.None))
            {
                await hub.Clients.Group(topic).Subscribed();
            }
        }
    }

    private static readonly TimeSpan[] ResubscribeDelays = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SubscriptionExpiry / 3);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RenewAllAsync(stoppingToken);
        }
    }

    /// <summary>Renews every subscription and presence concurrently (one unreachable grain must not hold up the rest); true when all succeeded.</summary>
    private async Task<bool> RenewAllAsync(CancellationToken cancellationToken)
    {
        string[] topics;
        (Guid PatientId, string[] Connections)[] patients;
        lock (_gate)
        {
            topics = [.. _connectionsByTopic.Keys];
            patients = [.. _patientConnections.Select(p => (p.Key, p.Value.ToArray()))];
        }

        var presence = patients.Select(async p =>
        {
            try
            {
                await grains.GetGrain<IPresenceGrain>(p.PatientId).RenewAsync(p.Connections);
                return true;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogPresenceRenewalFailed(exception, p.PatientId);
                return false;
            }
        });
        var subscriptions = topics.Select(topic => TrySubscribeAsync(topic, cancellationToken));
        var results = await Task.WhenAll(presence.Concat(subscriptions));
        return results.All(ok => ok);
    }

    /// <summary>Subscribes this node to a topic; a failure is logged and left to the next renewal (clients meanwhile recover from their seq cursors).</summary>
    private async Task<bool> TrySubscribeAsync(string topic, CancellationToken cancellationToken)
    {
        try
        {
            await grains.GetGrain<ITopicNotifierGrain>(topic).SubscribeAsync(Reference);
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogRenewalFailed(exception, topic);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Pushing {Kind} to topic {Topic}.")]
    private partial void LogEvent(string topic, Type kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pushing a burst to topic {Topic} failed (its clients resync on their next connection).")]
    private partial void LogPushFailed(Exception exception, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing portal presence for patient {PatientId} failed.")]
    private partial void LogPresenceRenewalFailed(Exception exception, Guid patientId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster connection restored: renewing push subscriptions and asking clients to resync.")]
    private partial void LogRecovering();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the push subscription for topic {Topic} failed.")]
    private partial void LogRenewalFailed(Exception exception, string topic);
}
