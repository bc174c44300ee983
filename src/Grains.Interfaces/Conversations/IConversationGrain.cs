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
    /// Assigns the thread to a clinician or front desk member of its clinic, or unassigns it (staff of the clinic only;
    /// anyone else: not found). A change is committed with its system line and audit row and pushed to the clinic's
    /// staff; assigning to whom it is assigned already changes nothing. <c>assignment_changed</c> when
    /// <see cref="Assignment.Expected"/> no longer holds.
    /// </summary>
    Task<Outcome<ThreadTeam>> AssignAsync(Actor actor, Assignment assignment);

    /// <summary>
    /// Adds an internal note that only the clinic's staff see (never a patient, in any payload or push), audited, pushed to
    /// the clinic's staff; each colleague it mentions is told (a push to their tabs, and an email without the note's
    /// words). A retry with the same client id returns the note stored first. Staff of the clinic only.
    /// </summary>
    Task<Outcome<NoteReceipt>> AddNoteAsync(Actor actor, NewNote note);

    /// <summary>
    /// Withdraws a message its staff sender sent to the wrong thread: within <see cref="RecallRules.Window"/> of sending and
    /// only while the patient has not read it (the read and the recall are ordered by this grain: whichever comes first
    /// wins). The patient then sees "Message withdrawn" and can no longer open its files; staff still see what it said;
    /// the stored message and the audit log keep it. <c>recall_closed</c> otherwise.
    /// </summary>
    Task<Outcome<MessageView>> WithdrawAsync(Actor actor, long seq);

    /// <summary>Moves the thread to open, waiting on the patient, or closed (done without a reply); as <see cref="AssignAsync"/>.</summary>
    Task<Outcome<ThreadTeam>> SetStatusAsync(Actor actor, ThreadStatus status);

    /// <summary>Routes the thread to another topic (billing threads are shared with the clinic's Billing staff); as <see cref="AssignAsync"/>.</summary>
    Task<Outcome<ThreadTeam>> SetTopicAsync(Actor actor, ThreadTopic topic);

    /// <summary>
    /// A patient starts a conversation with one of their clinics about a topic the clinic offers: the thread (created if
    /// they have none yet) takes the topic, and the message is sent as any other. Refused before anything is written when
    /// the clinic takes no conversations from patients (403), does not offer the topic or the message is invalid (400),
    /// or the patient has turned chat with the clinic off (409); a clinic not theirs is not found.
    /// </summary>
    Task<Outcome<SendReceipt>> StartByPatientAsync(Actor actor, Guid clinicId, PatientStart start);

    /// <summary>
    /// Called by the notice sweeper when the thread's pending look for <paramref name="audience"/> is due: for the patient,
    /// the conversation checks what they have read and, if a clinic message is unread, asks the patient's notice grain to
    /// decide; for staff, whether the patient still waits past the clinic's reply target, and if so emails the team.
    /// </summary>
    Task LookForNoticeAsync(Notices.NoticeAudience audience);
}
