using ClinicChat.Clinics;
using ClinicChat.Notices;

namespace ClinicChat.Conversations;

/// <summary>
/// The conversation's part in notices. A patient hears about an unread clinic message: the message marks the thread
/// pending for the patient in its own commit (free: no extra flush), and when the sweeper finds the look due, the
/// conversation checks the patient's read cursor and asks the patient's notice grain to decide (it holds the daily cap).
/// Staff hear about a patient who has waited past the clinic's reply target, when the clinic asks for it: the message that
/// starts the wait marks the thread pending for staff at the moment it becomes overdue (in office time), and the look
/// emails the assignee, or the staff its topic routes to, if the thread still waits. At most one notice per side
/// per stretch of unread messages (patient) or per wait (staff).
/// </summary>
internal sealed class ThreadNotices(
    IGrainFactory grains,
    MessageStore messages,
    NoticeStore notices,
    NoticeLinks links,
    GroupCommitWriter writer,
    TimeProvider time,
    NotificationOptions options,
    CachedClinicProfile clinic,
    Guid conversationId,
    Guid clinicId,
    Guid patientId)
{
    /// <summary>
    /// What a send adds to its commit: a staff message makes the thread pending for the patient; a patient message that
    /// starts a wait (<paramref name="startsWait"/>), for staff at the moment the wait becomes overdue, when the clinic
    /// emails about overdue threads.
    /// </summary>
    public async ValueTask<WriteUnit?> PendForAsync(MessageView message, bool startsWait)
    {
        if (!options.Enabled)
        {
            return null;
        }

        if (message.SenderKind == SenderKind.Staff)
        {
            return NoticeStore.Pend(conversationId, NoticeAudience.Patient, message.SentAt + options.UnreadDelay);
        }

        var hours = (await clinic.GetAsync()).Hours;
        return startsWait && hours.EmailWhenOverdue
            ? NoticeStore.Pend(conversationId, NoticeAudience.Staff, OfficeHoursRules.OverdueAt(hours, message.SentAt))
            : null;
    }

    /// <summary>
    /// A due look for the patient: nothing if they have read every clinic message, or a notice already covers the unread
    /// ones; otherwise a decision for everything up to <paramref name="lastSeq"/>. The pending row goes only once the
    /// decision is stored, so a crash in between looks again.
    /// </summary>
    public async Task LookForPatientAsync(long patientReadUpTo, long lastSeq)
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

    /// <summary>
    /// A due look for staff: nothing if the thread no longer waits, the clinic has turned overdue emails off, or this wait
    /// had its email; later if the clinic's hours (changed since) make it overdue later; otherwise the email, queued with
    /// its audit rows in the commit that clears the pending row.
    /// </summary>
    public async Task LookForStaffAsync(ThreadTeam team, long lastSeq)
    {
        // A fresh read, not the conversation's copy: once per wait, and the look may be the one a change of hours just asked for.
        var hours = (await clinic.ReadFreshAsync()).Hours;
        if (team.WaitingSince is not { } since || !hours.EmailWhenOverdue || await notices.LastStaffWaitingAtAsync(conversationId) >= since)
        {
            await writer.WriteAsync(NoticeStore.Unpend(conversationId, NoticeAudience.Staff));
            return;
        }

        var overdueAt = OfficeHoursRules.OverdueAt(hours, since);
        if (overdueAt > time.GetUtcNow())
        {
            await writer.WriteAsync(NoticeStore.Repend(conversationId, NoticeAudience.Staff, overdueAt));
            return;
        }

        var overdue = await OverdueNoticeAsync(team, lastSeq);
        await writer.WriteAsync(overdue.Then(NoticeStore.Unpend(conversationId, NoticeAudience.Staff)));
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
        var staff = await notices.ReadStaffAsync(clinicId, TopicRules.AllChatRoles);
        List<OutboxRow> rows = [.. staff.Where(member => mentioned.Contains(member.UserId)).DistinctBy(member => member.UserId).Select(member => new OutboxRow(
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

    /// <summary>
    /// One email to the thread's assignee; when nobody has it (or the assignee has no confirmed address or has left the
    /// clinic), one to each member of the role its topic routes to (<see cref="TopicRules.Owners"/>), or to its clinicians and
    /// front desk when that role has nobody with a confirmed address; a suppressed row when there is nobody at all.
    /// </summary>
    private async Task<WriteUnit> OverdueNoticeAsync(ThreadTeam team, long lastSeq)
    {
        var now = time.GetUtcNow();
        var staff = await notices.ReadStaffAsync(clinicId, TopicRules.AllChatRoles);
        List<StaffAddress> In(IReadOnlyList<StaffRole> roles) => [.. staff.Where(member => roles.Contains(member.Role)).DistinctBy(member => member.UserId)];
        var recipients = staff.Where(member => member.UserId == team.AssigneeId).DistinctBy(member => member.UserId).ToList();
        if (recipients.Count == 0)
        {
            recipients = In(TopicRules.Owners(team.Topic));
        }

        if (recipients.Count == 0)
        {
            recipients = In(TopicRules.Owners(ThreadTopic.None));
        }

        List<OutboxRow> rows = [.. recipients.Select(member => new OutboxRow(
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
