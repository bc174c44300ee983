using ClinicChat.Audit;
using ClinicChat.Records;
using ClinicChat.Storage;

namespace ClinicChat.Conversations;

/// <summary>Everything one send stores, as a single commit of the group-commit writer.</summary>
internal static class SendCommit
{
    /// <summary>
    /// The message; its attachments marked sent (and sensitive with it); the records its cards show marked sensitive when
    /// it is, since otherwise the patient would read through the record routes what the locked card hides; its audit rows.
    /// </summary>
    /// <remarks>Units capture their values when built: the writer runs them later, on its own thread.</remarks>
    /// <param name="pending">The thread's pending notice look, when the message starts one (see <c>ThreadNotices</c>).</param>
    /// <param name="team">The thread's reopening, when a patient's message reopens it (its status and system line).</param>
    /// <param name="automatic">The clinic's after-hours reply to a patient's message: the next message, in the same commit.</param>
    /// <param name="clock">The thread's response clock after the message, written by the message's own index update.</param>
    public static WriteUnit Of(
        MessageView message, IReadOnlyList<AuditEvent> audits, WriteUnit? pending = null, WriteUnit? team = null, MessageView? automatic = null, ThreadTeam? clock = null)
    {
        List<WriteUnit> units = [clock is null ? MessageStore.Append(message) : MessageStore.Append(message, clock)];
        if (automatic is not null)
        {
            units.Add(MessageStore.Append(automatic));
        }

        if (pending is not null)
        {
            units.Add(pending);
        }

        if (team is not null)
        {
            units.Add(team);
        }

        if (message.Attachments is { } files)
        {
            units.Add(MessageStore.MarkAttachmentsSent(files.Select(a => a.Id), message.Sensitive));
        }

        if (message.Sensitive && message.Cards is { } cards)
        {
            units.Add(RecordStore.MarkSensitive(cards.Select(c => c.RecordId)));
        }

        units.Add(AuditLog.Append(message.SentAt, audits));
        return WriteUnit.Together(units);
    }
}
