using Orleans.Concurrency;
using ClinicChat.Conversations;

namespace ClinicChat.Realtime;

/// <summary>
/// A push to every connection subscribed to <see cref="Topic"/>. Pushes are an optimisation: clients
/// recover anything they miss by paging from their last seq, so events may be dropped without loss.
/// Each kind of push is its own record carrying only what that push needs.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ChatEvent")]
public abstract record ChatEvent([property: Id(0)] string Topic);

/// <summary>A message was stored. The patient's topic gets it as the patient may see it (a sensitive one locked).</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.MessageAdded")]
public sealed record MessageAdded(string Topic, [property: Id(0)] Guid ConversationId, [property: Id(1)] MessageView Message) : ChatEvent(Topic);

/// <summary>A message was withdrawn (recalled): clients fetch it again (the patient's copy says only that it was withdrawn).</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.MessageWithdrawn")]
public sealed record MessageWithdrawn(string Topic, [property: Id(0)] Guid ConversationId, [property: Id(1)] long Seq) : ChatEvent(Topic);

/// <summary>Something about the thread changed (archived, or the patient's standing): clients fetch it again.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ConversationUpdated")]
public sealed record ConversationUpdated(string Topic, [property: Id(0)] Guid ConversationId) : ChatEvent(Topic);

/// <summary>
/// One side's receipts moved. The reader concerned goes only to staff ("read by Frank", "seen by Frank"): who
/// (<see cref="ActorName"/>, <see cref="ActorId"/>) and, when their read moved, how their own cursors moved
/// (<see cref="Reader"/>; the side's are the furthest of its readers'). The patient sees the clinic's side as a whole.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ReceiptsUpdated")]
public sealed record ReceiptsUpdated(
    string Topic,
    [property: Id(0)] Guid ConversationId,
    [property: Id(1)] SenderKind Side,
    [property: Id(2)] SideReceipts Receipts,
    [property: Id(3)] string? ActorName = null,
    [property: Id(4)] string? ActorId = null,
    [property: Id(5)] ReaderMove? Reader = null) : ChatEvent(Topic);

/// <summary>
/// One reader's cursors before and after a move, and when it was stored: the messages between the two read cursors are
/// the ones this read reached first, which is when a page's read-by list says they were read (the same time, from the
/// same advance), so staff can list them live.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ReaderMove")]
public sealed record ReaderMove([property: Id(0)] SideReceipts Before, [property: Id(1)] SideReceipts After, [property: Id(2)] DateTimeOffset At);

/// <summary>
/// Someone on <see cref="Side"/> is typing. The patient hears of the clinic's side; staff hear of the patient and of
/// colleagues (two people answering the same patient at once is what a team wants to see coming), with
/// <see cref="ActorId"/> so that the typist's own windows leave it out. Null from a silo older than that field.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.TypingStarted")]
public sealed record TypingStarted(
    string Topic, [property: Id(0)] Guid ConversationId, [property: Id(1)] SenderKind Side, [property: Id(2)] string ActorName, [property: Id(3)] string? ActorId = null)
    : ChatEvent(Topic);

/// <summary>
/// A line only staff see was added to a thread (a system line about its status or assignee, or a note), with the
/// thread's team state after it. Published to the clinic's topic only: a patient's topic never carries one.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.StaffItemAdded")]
public sealed record StaffItemAdded(string Topic, [property: Id(0)] StaffItem Item, [property: Id(1)] ThreadTeam Team) : ChatEvent(Topic);

/// <summary>
/// To one colleague's own topic: a note on a thread mentions them. Ids and the writer's name only, never the note's words.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.Mentioned")]
public sealed record Mentioned(string Topic, [property: Id(0)] Guid ConversationId, [property: Id(1)] long ItemSeq, [property: Id(2)] string ByName) : ChatEvent(Topic);

/// <summary>The thread's patient opened or closed the portal (a hint for staff).</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.PresenceChanged")]
public sealed record PresenceChanged(string Topic, [property: Id(0)] Guid ConversationId, [property: Id(1)] bool Online) : ChatEvent(Topic);

/// <summary>A patient record changed: cards that refer to it should fetch it again.</summary>
/// <remarks>Keeps its first alias: pushes cross between silos and web nodes of two builds during a rolling restart.</remarks>
[GenerateSerializer, Immutable, Alias("ClinicChat.ArtifactUpdated")]
public sealed record RecordUpdated(string Topic, [property: Id(0)] Guid ConversationId, [property: Id(1)] Guid RecordId, [property: Id(2)] int Version)
    : ChatEvent(Topic);

/// <summary>Sessions of the topic's user ended (a user topic only): web nodes close the push connections those sessions opened.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.SessionsEnded")]
public sealed record SessionsEnded(string Topic, [property: Id(0)] IReadOnlyList<string> SessionIds) : ChatEvent(Topic);

/// <summary>
/// The topic's notifier activation is going away (its silo is shutting down, or Orleans moved or shed it) and takes its
/// subscriber list with it: a web node subscribes again and asks the topic's clients to resync, instead of missing pushes
/// until its next periodic renewal (a minute). Found in the rolling-upgrade test. Never sent to browsers.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.SubscriptionEnded")]
public sealed record SubscriptionEnded(string Topic) : ChatEvent(Topic);

/// <summary>Topic names. Staff of a clinic share the clinic's topic; a patient has their own.</summary>
public static class Topics
{
    private const string ClinicPrefix = "clinic:";
    private const string ClinicBillingPrefix = "clinic-billing:";

    public static string Clinic(Guid clinicId) => $"{ClinicPrefix}{clinicId:N}";

    /// <summary>The clinic's billing threads, for its Billing staff (the clinic's topic carries them too, for everyone else).</summary>
    public static string ClinicBilling(Guid clinicId) => $"{ClinicBillingPrefix}{clinicId:N}";

    /// <summary>A clinic's staff topic (everyone's or Billing's): every staff tab of the clinic receives its pushes.</summary>
    public static bool IsStaff(string topic) =>
        topic.StartsWith(ClinicPrefix, StringComparison.Ordinal) || topic.StartsWith(ClinicBillingPrefix, StringComparison.Ordinal);

    public static string Patient(Guid patientId) => $"patient:{patientId:N}";

    /// <summary>A signed-in user's own topic (any kind): session events and, for staff, mentions; never content.</summary>
    public static string User(string userId) => $"user:{userId}";
}

public interface IChatEventObserver : IGrainObserver
{
    [OneWay]
    Task OnEventAsync(ChatEvent chatEvent);
}

/// <summary>
/// Whether a patient has the portal open somewhere: a hint for staff ("online in the portal"), held
/// in memory only, never stored or audited. Web nodes report connections and renew them; a
/// connection not renewed within the expiry (its web node died) stops counting.
/// </summary>
public interface IPresenceGrain : IGrainWithGuidKey
{
    Task ConnectedAsync(string connectionId);

    Task DisconnectedAsync(string connectionId);

    Task RenewAsync(IReadOnlyList<string> connectionIds);

    Task<bool> IsOnlineAsync();
}

/// <summary>In-memory fan-out of one topic's events to the web nodes that have a subscriber connected.</summary>
public interface ITopicNotifierGrain : IGrainWithStringKey
{
    Task SubscribeAsync(IChatEventObserver observer);

    Task UnsubscribeAsync(IChatEventObserver observer);

    [OneWay]
    Task PublishAsync(ChatEvent chatEvent);
}
