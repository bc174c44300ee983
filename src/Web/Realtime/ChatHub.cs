using ClinicChat.Conversations;
using ClinicChat.Realtime;
using ClinicChat.Web.Conversations;
using ClinicChat.Web.Records;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Realtime;

/// <summary>What the server pushes to browsers. The TypeScript client mirrors this interface.</summary>
public interface IChatClient
{
    /// <summary>
    /// New messages, in order. Each push to a clinic's staff carries what its topic got in up to 50 ms (<see cref="PushWindow{T}"/>);
    /// a patient's, one message.
    /// </summary>
    Task MessageAdded(IReadOnlyList<MessageDto> messages);

    Task ConversationUpdated(ConversationUpdatedDto update);

    /// <summary>A message was withdrawn (recalled): the client fetches it again.</summary>
    Task MessageWithdrawn(MessageWithdrawnDto withdrawn);

    /// <summary>Sides' receipt cursors moved, in order: statuses of the other side's messages change. Batched as <see cref="MessageAdded"/>.</summary>
    Task ReceiptsUpdated(IReadOnlyList<ReceiptsUpdatedDto> receipts);

    /// <summary>Someone on the other side is typing in a conversation (shown for a few seconds).</summary>
    Task Typing(TypingDto typing);

    /// <summary>Staff only: the thread's patient opened or left the portal.</summary>
    Task PresenceChanged(PresenceDto presence);

    /// <summary>Staff only (the clinic's group): a line only staff see was added to a thread, with the thread's status and assignee after it.</summary>
    Task StaffItemAdded(StaffItemPushDto push);

    /// <summary>Staff only, to the mentioned colleague's own connections: a note mentions them. Ids and the writer's name only.</summary>
    Task Mentioned(MentionDto mention);

    /// <summary>A patient record changed (re-imported): cards that refer to it fetch it again. Ids only.</summary>
    Task RecordUpdated(RecordUpdatedDto update);

    /// <summary>
    /// Sent once per connection when its subscriptions are live. Events from then on will be pushed;
    /// anything earlier the client fetches by syncing from its cursors now, so nothing falls between.
    /// </summary>
    Task Subscribed();
}

public sealed record ConversationUpdatedDto(Guid ConversationId);

/// <summary>
/// A hub command's answer: its value, or for a refusal the API's error code (<c>not_found</c>, <c>validation_failed</c>,
/// <c>unauthenticated</c>, <c>temporarily_unavailable</c>). Not a thrown <see cref="HubException"/>: a refusal is an answer, and SignalR logs every exception
/// a hub method throws as a server error.
/// </summary>
public sealed record HubReply<T>(T? Value, string? Error) where T : class
{
    public static HubReply<T> Refused(string code) => new(null, code);
}

public sealed record MessageWithdrawnDto(Guid ConversationId, long Seq);

/// <summary>
/// Pushes, and the two things a device says as a side effect of receiving them: that someone is typing, and that it has
/// the messages it was pushed (<see cref="Delivered"/>). Every other command goes over HTTP. On connect the connection
/// joins the groups of the topics its user may see (their clinics' threads for staff, their own threads for a patient),
/// and this web node makes sure it receives those topics from the grains.
/// </summary>
[Authorize]
public sealed partial class ChatHub(
    ChatPushRelay relay, SessionConnections sessions, IOptions<RealtimeOptions> options, IGrainFactory grains, RealtimeMetrics metrics, ILogger<ChatHub> logger) : Hub<IChatClient>
{
    public const string Path = "/hubs/chat";

    /// <summary>
    /// How often each side pings a quiet connection. The web client (hub.ts) pings at the same pace and
    /// gives up on the server after <see cref="ClientTimeout"/>; its pings are sent as the server's arrive,
    /// so a throttled background tab keeps up. 5 s rather than SignalR's 15 s: a dead connection is noticed
    /// (by the browser, and by the presence of a patient who vanished) in seconds, for a few bytes a ping.
    /// </summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A client not heard from for this long is disconnected: its presence ends. SignalR's own default, twice the
    /// official clients' default ping (15 s), so an integration or a mobile app built with the clients' defaults is
    /// never dropped while idle. It was 15 s (a vanished portal went offline in ~16 s instead of ~31 s), which dropped
    /// every default-configured .NET and JavaScript client on an idle connection (issue 18). Our own clients (the web
    /// app, tests, the benchmark) still ping every <see cref="KeepAlive"/>.
    /// </summary>
    public static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a closing connection waits for the client's half of the close. A live browser answers in
    /// milliseconds; a vanished one never does, and its presence lasts until this runs out (SignalR's 5 s).
    /// </summary>
    public static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The caller as the grains see it, read from the claims once per connection: a connection keeps the principal it was
    /// opened with, and every delivery receipt and typing notice on it asks (issue 23: building the actor from the claims,
    /// here and per request, was 1.3 % of the web node's allocations at 500 msg/s). Written by the subscription in
    /// <see cref="OnConnectedAsync"/> and only read after: SignalR runs one invocation of a connection at a time.
    /// </summary>
    private Actor? Caller => Context.Items.TryGetValue(typeof(Actor), out var actor)
        ? (Actor?)actor
        : (Actor?)(Context.Items[typeof(Actor)] = Context.User?.ToActor());

    public override async Task OnConnectedAsync()
    {
        // SignalR does not call OnDisconnectedAsync when OnConnectedAsync fails: count down here then.
        metrics.ConnectionOpened();
        try
        {
            await SubscribeAsync();
        }
        catch
        {
            metrics.ConnectionClosed();
            sessions.Remove(Context.ConnectionId);
            throw;
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.ConnectionClosed();
        sessions.Remove(Context.ConnectionId);
        var actor = Caller;
        foreach (var topic in TopicsFor(actor))
        {
            await relay.ReleaseAsync(topic);
        }

        if (actor is not null)
        {
            await relay.ReleaseAsync(Topics.User(actor.UserId));
        }

        if (actor?.PatientId is { } patientId)
        {
            try
            {
                await relay.PatientDisconnectedAsync(patientId, Context.ConnectionId);
            }
            catch (Exception failure)
            {
                // The presence entry lapses on its own when it is no longer renewed.
                LogPresenceFailed(failure, patientId);
            }
        }
    }

    private async Task SubscribeAsync()
    {
        var actor = Caller;
        if (actor is not null)
        {
            // Before anything else: a session that ends from now on closes this connection.
            if (!sessions.TryAdd(Context, options.Value.MaxConnectionsPerUser))
            {
                // Only connections that negotiated at the same moment get here (HubConnectionCap refuses
                // the rest with 429); the client sees this message as its close reason.
                LogOverCap(actor.UserId, options.Value.MaxConnectionsPerUser);
                throw new HubException(HubConnectionCap.Refusal(options.Value.MaxConnectionsPerUser).ProblemDetails.Detail);
            }

            // The user's own topic: its session events are handled on this node; a mention is pushed to the user's connections.
            await Groups.AddToGroupAsync(Context.ConnectionId, Topics.User(actor.UserId));
            await relay.AcquireAsync(Topics.User(actor.UserId));
        }

        foreach (var topic in TopicsFor(actor))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, topic);
            await relay.AcquireAsync(topic);
        }

        if (actor?.PatientId is { } patientId)
        {
            try
            {
                await relay.PatientConnectedAsync(patientId, Context.ConnectionId);
            }
            catch (Exception exception)
            {
                // Presence is a hint: never refuse a connection because it could not be recorded.
                LogPresenceFailed(exception, patientId);
            }
        }

        await Clients.Caller.Subscribed();
    }

    /// <summary>The caller is typing in a conversation. Never stored; throttled by clients and again by the conversation grain.</summary>
    public Task Typing(Guid conversationId) =>
        Caller is { } actor
            ? grains.GetGrain<IConversationGrain>(conversationId).NotifyTypingAsync(actor)
            : Task.CompletedTask;

    /// <summary>
    /// The caller's device has the conversation's messages up to <paramref name="upToSeq"/>: the delivery receipt a device
    /// sends for what it was pushed, as one frame on the connection that delivered it instead of one HTTP request each
    /// (issue 23: a request's fixed cost, from parsing to the auth cookie, was most of a receipt's). The same grain call and
    /// guarantees as <c>POST …/receipts</c> with <c>deliveredUpToSeq</c> alone: the session is checked on every call (not
    /// restarting its idle clock), the conversation answers <c>not_found</c> to anyone outside it and audits the refusal,
    /// and the cursor is stored before this returns. Reading stays on HTTP: a patient's read of sensitive messages counts
    /// only inside the re-authentication window of the cookie a request carries, which a connection opened earlier lacks.
    /// </summary>
    public async Task<HubReply<ReceiptsDto>> Delivered(Guid conversationId, long upToSeq)
    {
        try
        {
            if (Caller is not { } actor || !await sessions.IsAliveAsync(Context))
            {
                // As the periodic session check would, a moment later: the client signs in again.
                Context.Abort();
                return HubReply<ReceiptsDto>.Refused(ApiErrors.Unauthenticated);
            }

            var outcome = await grains.GetGrain<IConversationGrain>(conversationId).AcknowledgeAsync(actor, new ReceiptAck(upToSeq, null));
            return outcome.Error is { } error ? HubReply<ReceiptsDto>.Refused(ApiProblems.CodeOf(error)) : new(ReceiptsDto.From(outcome.Value!), null);
        }
        catch (Exception exception) when (ApiExceptionHandler.IsClusterUnavailable(exception))
        {
            // Expected while a silo or the database is away, as for a request (ApiExceptionHandler's 503): one line, and
            // the client keeps the receipt and sends it again.
            LogUnavailable(nameof(Delivered), exception.GetType().Name);
            return HubReply<ReceiptsDto>.Refused(ApiErrors.TemporarilyUnavailable);
        }
    }

    public static IEnumerable<string> TopicsFor(Actor? actor) => actor switch
    {
        null => [],
        { Kind: ActorKind.Patient, PatientId: { } patientId } => [Topics.Patient(patientId)],
        // Billing staff hear only of their clinics' billing threads; chat staff of every thread at theirs.
        _ => [.. actor.ChatClinics.Select(Topics.Clinic), .. actor.BillingOnlyClinics().Select(Topics.ClinicBilling)],
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a push connection of user {UserId}: it holds {Max} on this node already.")]
    private partial void LogOverCap(string userId, int max);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub method {Method} answered temporarily_unavailable: the cluster is unavailable ({Exception}).")]
    private partial void LogUnavailable(string method, string exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording portal presence for patient {PatientId} failed.")]
    private partial void LogPresenceFailed(Exception exception, Guid patientId);
}
