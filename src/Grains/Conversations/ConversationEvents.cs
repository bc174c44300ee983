using ClinicChat.Realtime;

namespace ClinicChat.Conversations;

/// <summary>
/// Every push one conversation makes, and who gets it: the clinic's staff share one topic, the patient has their own,
/// and the patient never receives what only staff may see (a reader's name, a sensitive message unlocked). A thread about
/// billing also sends what staff get to the clinic's billing topic (its Billing staff, who see only such threads);
/// <paramref name="topic"/> is the thread's topic as of now.
/// </summary>
/// <remarks>
/// <paramref name="publish"/> sends one event to its topic. It must not wait: a push never holds up the sender, and
/// clients that miss one recover from their seq cursor. The topic names are built once per activation, not per push.
/// </remarks>
internal sealed class ConversationEvents(Guid conversationId, Guid clinicId, Guid patientId, Func<ThreadTopic> topic, Action<ChatEvent> publish)
{
    private readonly string _clinicTopic = Topics.Clinic(clinicId);
    private readonly string _billingTopic = Topics.ClinicBilling(clinicId);
    private readonly string _patientTopic = Topics.Patient(patientId);

    public void MessageSent(MessageView message)
    {
        ToStaff(staffTopic => new MessageAdded(staffTopic, conversationId, message));
        publish(new MessageAdded(_patientTopic, conversationId, SensitiveRules.ForPatientPush(message)));
    }

    /// <summary>Both sides fetch the message again: the patient's copy loses what it said, staff see it marked.</summary>
    public void MessageWithdrawn(long seq)
    {
        ToStaff(staffTopic => new Realtime.MessageWithdrawn(staffTopic, conversationId, seq));
        publish(new Realtime.MessageWithdrawn(_patientTopic, conversationId, seq));
    }

    public void Archived()
    {
        ToStaff(staffTopic => new ConversationUpdated(staffTopic, conversationId));
        publish(new ConversationUpdated(_patientTopic, conversationId));
    }

    /// <summary>
    /// The line itself is staff only, never the patient's topic. A change of topic goes to the billing topic when the thread
    /// was or now is about billing (Billing staff see a thread arrive in, or leave, their list), and tells the patient's
    /// devices that the thread changed: the topic is on their thread too, and they read it again.
    /// </summary>
    public void StaffItemAdded(StaffItem item, ThreadTeam team)
    {
        if (item.Change?.Kind == TeamChangeKind.TopicChanged)
        {
            publish(new Realtime.StaffItemAdded(_clinicTopic, item, team));
            publish(new Realtime.StaffItemAdded(_billingTopic, item, team));
            publish(new ConversationUpdated(_patientTopic, conversationId));
            return;
        }

        ToStaff(staffTopic => new Realtime.StaffItemAdded(staffTopic, item, team));
    }

    /// <summary>To each mentioned colleague's own topic (their tabs, whatever they have open).</summary>
    public void Mentioned(StaffItem note)
    {
        foreach (var mention in note.Mentions ?? [])
        {
            publish(new Realtime.Mentioned(Topics.User(mention.UserId), conversationId, note.ItemSeq, note.ActorName));
        }
    }

    /// <summary>
    /// The patient hears that the clinic's side is typing (without who, by id); staff hear of the patient and of each
    /// other, with the typist's id, since their own windows are on the same topic and leave themselves out.
    /// </summary>
    public void Typing(SenderKind side, string actorId, string actorName)
    {
        if (side == SenderKind.Staff)
        {
            publish(new TypingStarted(_patientTopic, conversationId, side, actorName));
        }

        ToStaff(staffTopic => new TypingStarted(staffTopic, conversationId, side, actorName, actorId));
    }

    /// <summary>
    /// Staff see who read and when ("read by Frank at 14:05"), so they hear of every reader's move; the patient sees
    /// only the clinic's side as a whole, so only when that side moved, and without the reader's name.
    /// </summary>
    public void ReceiptsMoved(ReceiptMove move, SideReceipts sideAfter)
    {
        var sideMoved = sideAfter != move.SideBefore;
        if (sideMoved || move.ReadMoved || move.SensitiveMoved)
        {
            // A delivery alone lists nobody as a reader: the most frequent push stays as small as it was.
            var reader = move.ReadMoved || move.SensitiveMoved ? new ReaderMove(CursorsOf(move.Current), CursorsOf(move.Next), move.Next.UpdatedAt) : null;
            ToStaff(staffTopic => new ReceiptsUpdated(staffTopic, conversationId, move.Side, sideAfter, move.Next.ReaderName, move.Next.ReaderId, reader));
        }

        if (sideMoved)
        {
            publish(new ReceiptsUpdated(_patientTopic, conversationId, move.Side, sideAfter));
        }
    }

    private static SideReceipts CursorsOf(ReceiptCursor cursor) => new(cursor.DeliveredUpTo, cursor.ReadUpTo, cursor.SensitiveReadUpTo);

    /// <summary>One event to the clinic's staff topic, and the same to its billing topic when the thread is about billing.</summary>
    private void ToStaff(Func<string, ChatEvent> build)
    {
        publish(build(_clinicTopic));
        if (topic() == ThreadTopic.Billing)
        {
            publish(build(_billingTopic));
        }
    }
}
