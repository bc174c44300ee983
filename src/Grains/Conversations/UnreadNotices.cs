using ClinicChat.Notices;
using ClinicChat.Storage;

namespace ClinicChat.Conversations;

/// <summary>
/// The conversation's part in notices: a clinic message marks the thread pending in the message's own commit (free: no
/// extra flush), and when the sweeper finds it due the conversation looks at its read cursor and asks the patient's
/// notice grain to decide. At most one notice per thread until the patient reads: a decision covers everything unread.
/// </summary>
internal sealed class UnreadNotices(
    IGrainFactory grains,
    MessageStore messages,
    NoticeStore notices,
    GroupCommitWriter writer,
    TimeProvider time,
    NotificationOptions options,
    Guid conversationId,
    Guid clinicId,
    Guid patientId)
{
    /// <summary>What a send adds to its commit: the thread becomes pending for the patient after a clinic message.</summary>
    public WriteUnit? PendFor(MessageView message) =>
        options.Enabled && message.SenderKind == SenderKind.Staff
            ? NoticeStore.Pend(conversationId, NoticeAudience.Patient, message.SentAt + options.UnreadDelay)
            : null;

    /// <summary>
    /// A due look: nothing if the patient has read every clinic message or a notice already covers the unread ones; later if
    /// the first unread clinic message came after the reader caught up; otherwise a decision for everything up to
    /// <paramref name="lastSeq"/>. The pending row goes only once the decision is stored, so a crash in between looks again.
    /// </summary>
    public async Task LookAsync(long patientReadUpTo, long lastSeq)
    {
        var firstUnread = await messages.FirstUnreadFromAsync(conversationId, SenderKind.Staff, patientReadUpTo);
        if (firstUnread is not { } unread || await notices.LastDecidedSeqAsync(conversationId) > patientReadUpTo)
        {
            await writer.WriteAsync(NoticeStore.Unpend(conversationId, NoticeAudience.Patient));
            return;
        }

        var dueAt = unread.SentAt + options.UnreadDelay;
        if (dueAt > time.GetUtcNow())
        {
            await writer.WriteAsync(NoticeStore.Repend(conversationId, NoticeAudience.Patient, dueAt));
            return;
        }

        await grains.GetGrain<IPatientNoticeGrain>(patientId).DecideUnreadAsync(new UnreadNoticeRequest(clinicId, conversationId, lastSeq, IsReply: unread.Answers));
        await writer.WriteAsync(NoticeStore.Unpend(conversationId, NoticeAudience.Patient));
    }
}
