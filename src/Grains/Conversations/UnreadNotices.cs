using ClinicChat.Audit;
using ClinicChat.Notices;
using ClinicChat.Storage;

namespace ClinicChat.Conversations;

/// <summary>
/// The conversation's part in notices. A message marks the thread pending for its reader in the message's own commit
/// (free: no extra flush); when the sweeper finds the look due, the conversation checks that reader's side's read cursor.
/// For the patient it asks the patient's notice grain to decide (it holds the daily cap); for staff it decides itself
/// (an email to the clinic's clinicians and front desk). At most one notice per side per stretch of unread messages.
/// </summary>
internal sealed class UnreadNotices(
    IGrainFactory grains,
    MessageStore messages,
    NoticeStore notices,
    NoticeLinks links,
    GroupCommitWriter writer,
    TimeProvider time,
    NotificationOptions options,
    Guid conversationId,
    Guid clinicId,
    Guid patientId)
{
    /// <summary>What a send adds to its commit: the thread becomes pending for the side that has not read the message yet.</summary>
    public WriteUnit? PendFor(MessageView message) => (options.Enabled, message.SenderKind, options.StaffWaitingAfter) switch
    {
        (false, _, _) => null,
        (true, SenderKind.Staff, _) => NoticeStore.Pend(conversationId, NoticeAudience.Patient, message.SentAt + options.UnreadDelay),
        // The first look is after the plain wait; the look itself stretches it over office hours (it knows the clinic's zone).
        (true, SenderKind.Patient, { } wait) => NoticeStore.Pend(conversationId, NoticeAudience.Staff, message.SentAt + wait),
        _ => null,
    };

    /// <summary>
    /// A due look: nothing if the reader's side has read every message from the other side, or a notice already covers the
    /// unread ones; later if the first unread message is not due yet; otherwise a decision for everything up to
    /// <paramref name="lastSeq"/>. The pending row goes only once the decision is stored, so a crash in between looks again.
    /// </summary>
    public async Task LookAsync(NoticeAudience audience, long readerReadUpTo, long lastSeq)
    {
        var writtenBy = audience == NoticeAudience.Patient ? SenderKind.Staff : SenderKind.Patient;
        var firstUnread = await messages.FirstUnreadFromAsync(conversationId, writtenBy, readerReadUpTo);
        if (firstUnread is not { } unread || await notices.LastDecidedSeqAsync(conversationId, audience) > readerReadUpTo)
        {
            await writer.WriteAsync(NoticeStore.Unpend(conversationId, audience));
            return;
        }

        var dueAt = await DueAtAsync(audience, unread.SentAt);
        if (dueAt > time.GetUtcNow())
        {
            await writer.WriteAsync(NoticeStore.Repend(conversationId, audience, dueAt));
            return;
        }

        if (audience == NoticeAudience.Patient)
        {
            await grains.GetGrain<IPatientNoticeGrain>(patientId).DecideUnreadAsync(new UnreadNoticeRequest(clinicId, conversationId, lastSeq, IsReply: unread.Answers));
            await writer.WriteAsync(NoticeStore.Unpend(conversationId, audience));
        }
        else
        {
            var staffNotice = await StaffNoticeAsync(lastSeq);
            await writer.WriteAsync(staffNotice.Then(NoticeStore.Unpend(conversationId, audience)));
        }
    }

    private async Task<DateTimeOffset> DueAtAsync(NoticeAudience audience, DateTimeOffset sentAt)
    {
        if (audience == NoticeAudience.Patient || options.StaffWaitingAfter is not { } wait)
        {
            return sentAt + options.UnreadDelay;
        }

        var zone = NoticeRules.ZoneOf((await notices.ReadClinicsAsync([clinicId])).GetValueOrDefault(clinicId).TimeZone);
        return NoticeRules.AfterOfficeTime(sentAt, wait, zone, options.OfficeHoursStart, options.OfficeHoursEnd);
    }

    /// <summary>
    /// What a note adds to its commit: an email to each colleague it mentions who has a confirmed address (the writer
    /// is not told of their own mention), saying only that they were mentioned and where. Null when there is none to send.
    /// </summary>
    public async Task<WriteUnit?> MentionNoticesAsync(StaffItem note)
    {
        var mentioned = (note.Mentions ?? []).Select(m => m.UserId).Where(id => id != note.ActorId).ToHashSet(StringComparer.Ordinal);
        if (!options.Enabled || mentioned.Count == 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        List<OutboxRow> rows = [.. (await notices.ReadChattingStaffAsync(clinicId)).Where(member => mentioned.Contains(member.UserId)).Select(member => new OutboxRow(
            Guid.NewGuid(), null, member.UserId, clinicId, conversationId, note.AfterSeq, NoticeChannel.Email, NoticeTemplates.StaffMentioned, member.Email,
            links.StaffThread(conversationId), null, now, now, NoticeState.Pending))];
        if (rows.Count == 0)
        {
            return null;
        }

        List<AuditEvent> audits = [.. rows.Select(row => new AuditEvent(AuditActions.NoticeQueued, "system", clinicId, patientId, conversationId, AuditOutcomes.Success,
            $"channel=email template={row.Template} to={ContactMasks.Mask(row.Channel, row.Address!)} recipient={row.RecipientUserId}"))];
        return NoticeStore.Queue(rows).Then(AuditLog.Append(now, audits));
    }

    /// <summary>One email per clinician and front-desk member with a confirmed address; a suppressed row when there is nobody.</summary>
    private async Task<WriteUnit> StaffNoticeAsync(long lastSeq)
    {
        var now = time.GetUtcNow();
        var staff = await notices.ReadChattingStaffAsync(clinicId);
        List<OutboxRow> rows = [.. staff.Select(member => new OutboxRow(
            Guid.NewGuid(), null, member.UserId, clinicId, conversationId, lastSeq, NoticeChannel.Email, NoticeTemplates.StaffWaiting, member.Email,
            links.StaffThread(conversationId), null, now, now, NoticeState.Pending))];
        List<AuditEvent> audits = [.. rows.Select(row => new AuditEvent(AuditActions.NoticeQueued, "system", clinicId, patientId, conversationId, AuditOutcomes.Success,
            $"channel=email template={row.Template} to={ContactMasks.Mask(row.Channel, row.Address!)} recipient={row.RecipientUserId}"))];
        if (rows.Count == 0)
        {
            rows.Add(new OutboxRow(Guid.NewGuid(), null, null, clinicId, conversationId, lastSeq, NoticeChannel.None, NoticeTemplates.StaffWaiting,
                null, null, null, now, now, NoticeState.Suppressed, SuppressedBecause.NoVerifiedContact));
            audits.Add(new AuditEvent(AuditActions.NoticeSuppressed, "system", clinicId, patientId, conversationId, AuditOutcomes.Success,
                $"template={NoticeTemplates.StaffWaiting} reason={SuppressedBecause.NoVerifiedContact}"));
        }

        return NoticeStore.Queue(rows).Then(AuditLog.Append(now, audits));
    }
}
