using Orleans.Concurrency;
using ClinicChat.Conversations;

namespace ClinicChat.Realtime;

public enum ChatEventKind
{
    MessageAdded = 0,
    ConversationUpdated = 1,
    ReceiptsUpdated = 2,
    Typing = 3,
    PresenceChanged = 4,

    /// <summary>A patient record changed: cards that refer to it should fetch it again.</summary>
    ArtifactUpdated = 5,

    /// <summary>Sessions of the topic's user ended: web nodes close the push connections those sessions opened.</summary>
    SessionsEnded = 6,
}

/// <summary>
/// A push to every connection subscribed to <see cref="Topic"/>. Pushes are an optimisation: clients
/// recover anything they miss by paging from their last seq, so events may be dropped without loss.
/// </summary>
/// <remarks>
/// <see cref="Side"/>: whose receipts moved, or who is typing. <see cref="Receipts"/>: that side's
/// cursors now. <see cref="ActorName"/>: the staff member or patient concerned, only on events whose
/// audience may see it. <see cref="SessionIds"/>: the sessions that ended (on a user topic only).
/// </remarks>
[GenerateSerializer, Immutable, Alias("ClinicChat.ChatEvent")]
public sealed record ChatEvent(
    [property: Id(0)] string Topic,
    [property: Id(1)] ChatEventKind Kind,
    [property: Id(2)] Guid ConversationId,
    [property: Id(3)] MessageView? Message,
    [property: Id(4)] SenderKind? Side = null,
    [property: Id(5)] SideReceipts? Receipts = null,
    [property: Id(6)] string? ActorName = null,
    [property: Id(7)] bool? Online = null,
    [property: Id(8)] Guid? ArtifactId = null,
    [property: Id(9)] int? ArtifactVersion = null,
    [property: Id(10)] IReadOnlyList<string>? SessionIds = null);

/// <summary>Topic names. Staff of a clinic share the clinic's topic; a patient has their own.</summary>
public static class Topics
{
    public static string Clinic(Guid clinicId) => $"clinic:{clinicId:N}";

    public static string Patient(Guid patientId) => $"patient:{patientId:N}";

    /// <summary>A signed-in user's own topic (any kind): carries only session events, never content.</summary>
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
