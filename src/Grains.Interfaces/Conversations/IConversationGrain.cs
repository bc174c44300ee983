using ClinicChat.Access;
using Orleans.Concurrency;

namespace ClinicChat.Conversations;

/// <summary>One thread between a clinic and one of its patients; keyed by <see cref="ConversationId.For"/>.</summary>
public interface IConversationGrain : IGrainWithGuidKey
{
    /// <summary>Opens the thread (staff only), creating it on first use. Idempotent.</summary>
    Task<Outcome<ConversationInfo>> StartAsync(Actor actor, Guid clinicId, Guid patientId);

    Task<Outcome<ConversationInfo>> GetAsync(Actor actor);

    /// <summary>
    /// Appends a message durably and returns its seq. A retry with the same <see cref="SendMessage.ClientMessageId"/>
    /// from the same sender returns the originally stored message instead of storing it again.
    /// Attachments must have been uploaded to this conversation by the same sender; record cards
    /// (staff only) must be about this thread's patient at this clinic. A sensitive message's
    /// content reaches a patient only inside a re-authentication window.
    /// </summary>
    Task<Outcome<SendReceipt>> SendAsync(Actor actor, SendMessage message);

    Task<Outcome<MessagePage>> GetMessagesAsync(Actor actor, MessagePageQuery query);

    /// <summary>
    /// Moves the caller's delivered and read cursors forward (never back, never past the last
    /// message; reading implies delivery). Returns the cursors now stored.
    /// </summary>
    Task<Outcome<ReceiptCursor>> AcknowledgeAsync(Actor actor, ReceiptAck ack);

    /// <summary>
    /// Tells the other side that the caller is typing. Not stored, not audited. Interleaves with
    /// other calls (it only reads immutable ids), so a flood of typing events cannot delay sends.
    /// </summary>
    [OneWay, AlwaysInterleave]
    Task NotifyTypingAsync(Actor actor);

    /// <summary>
    /// Called by the notice sweeper when the thread's pending look for <paramref name="audience"/> is due: the conversation
    /// checks what that side has read and, if a message still waits, decides (staff) or asks the patient's notice grain to.
    /// </summary>
    Task LookForUnreadNoticeAsync(Notices.NoticeAudience audience);
}
