using ClinicChat.Realtime;

namespace ClinicChat.Conversations;

/// <summary>
/// Every push one conversation makes, and who gets it: the clinic's staff share one topic, the patient has their own,
/// and the patient never receives what only staff may see (a reader's name, a sensitive message unlocked).
/// </summary>
/// <remarks>
/// <paramref name="publish"/> sends one event to its topic. It must not wait: a push never holds up the sender, and
/// clients that miss one recover from their seq cursor. The topic names are built once per activation, not per push.
/// </remarks>
internal sealed class ConversationEvents(Guid conversationId, Guid clinicId, Guid patientId, Action<ChatEvent> publish)
{
    private readonly string _clinicTopic = Topics.Clinic(clinicId);
    private readonly string _patientTopic = Topics.Patient(patientId);

    public void MessageSent(MessageView message)
    {
        publish(new MessageAdded(_clinicTopic, conversationId, message));
        publish(new MessageAdded(_patientTopic, conversationId, SensitiveRules.ForPatientPush(message)));
    }

    /// <summary>Both sides fetch the message again: the patient's copy loses what it said, staff see it marked.</summary>
    public void MessageWithdrawn(long seq)
    {
        publish(new Realtime.MessageWithdrawn(_clinicTopic, conversationId, seq));
        publish(new Realtime.MessageWithdrawn(_patientTopic, conversationId, seq));
    }

    public void Archived()
    {
        publish(new ConversationUpdated(_clinicTopic, conversationId));
        publish(new ConversationUpdated(_patientTopic, conversationId));
    }

    /// <summary>Staff only: the clinic's topic. Never the patient's.</summary>
    public void StaffItemAdded(StaffItem item, ThreadTeam team) => publish(new Realtime.StaffItemAdded(_clinicTopic, item, team));

    /// <summary>To each mentioned colleague's own topic (their tabs, whatever they have open).</summary>
    public void Mentioned(StaffItem note)
    {
        foreach (var mention in note.Mentions ?? [])
        {
            publish(new Realtime.Mentioned(Topics.User(mention.UserId), conversationId, note.ItemSeq, note.ActorName));
        }
    }

    /// <summary>Goes to the other side only: nobody needs to be told that they themself are typing.</summary>
    public void Typing(SenderKind side, string actorName) =>
        publish(new TypingStarted(side == SenderKind.Staff ? _patientTopic : _clinicTopic, conversationId, side, actorName));

    /// <summary>
    /// Staff see who read and when ("read by Frank at 14:05"), so they hear of every reader's move; the patient sees
    /// only the clinic's side as a whole, so only when that side moved, and without the reader's name.
    /// </summary>
    public void ReceiptsMoved(ReceiptMove move, SideReceipts sideAfter)
    {
        var sideMoved = sideAfter != move.SideBefore;
        if (sideMoved || move.ReadMoved || move.SensitiveMoved)
        {
            publish(new ReceiptsUpdated(_clinicTopic, conversationId, move.Side, sideAfter, move.Next.ReaderName, move.Next.ReaderId));
        }

        if (sideMoved)
        {
            publish(new ReceiptsUpdated(_patientTopic, conversationId, move.Side, sideAfter));
        }
    }
}
