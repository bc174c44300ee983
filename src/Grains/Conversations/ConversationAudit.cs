namespace ClinicChat.Conversations;

/// <summary>
/// The audit rows one conversation writes, each naming the thread, its clinic and its patient. Details carry ids, seqs
/// and counts only, never message text.
/// </summary>
/// <remarks>Built once the thread exists: its clinic and patient never change after that.</remarks>
internal sealed class ConversationAudit(Guid conversationId, Guid clinicId, Guid patientId)
{
    public AuditEvent For(Actor actor, string action, string? detail = null) =>
        new(action, actor.UserId, clinicId, patientId, conversationId, AuditOutcomes.Success, detail);

    /// <summary>A stored message: the send, each record card it carries with the version shown, and the reopening of an archived thread.</summary>
    public List<AuditEvent> Sent(Actor actor, MessageView message, bool reopening)
    {
        var audits = new List<AuditEvent>(1 + (message.Cards?.Count ?? 0) + (reopening ? 1 : 0))
        {
            For(actor, AuditActions.MessageSent, $"seq={message.Seq}"),
        };
        foreach (var card in message.Cards ?? [])
        {
            audits.Add(For(actor, AuditActions.CardAttached, $"seq={message.Seq};record={card.RecordId};version={card.Version}"));
        }

        if (reopening)
        {
            audits.Add(For(actor, AuditActions.ConversationReopened));
        }

        return audits;
    }

    /// <summary>A page read, as <paramref name="reader"/> was given it. Every opening of a sensitive message by a patient is named (staff see them as a matter of course).</summary>
    public AuditEvent Viewed(Actor reader, IReadOnlyList<MessageView> page)
    {
        var opened = reader.Kind == ActorKind.Patient ? page.Where(m => m.Sensitive && !m.Locked).Select(m => m.Seq).ToList() : [];
        return For(reader, AuditActions.ConversationViewed,
            opened.Count == 0 ? $"count={page.Count}" : $"count={page.Count};sensitiveOpened={string.Join(',', opened)}");
    }

    /// <summary>The clinic's after-hours reply, under its own actor id (never a person's).</summary>
    public AuditEvent AutomaticReplySent(MessageView reply) =>
        new(AuditActions.MessageSent, AutomaticReply.SenderId, clinicId, patientId, conversationId, AuditOutcomes.Success, $"seq={reply.Seq};automatic");

    public AuditEvent TeamChanged(Actor actor, TeamChange change) =>
        For(actor, change.Kind switch
        {
            TeamChangeKind.Assigned or TeamChangeKind.Unassigned => AuditActions.ThreadAssigned,
            TeamChangeKind.TopicChanged => AuditActions.ThreadTopicChanged,
            _ => AuditActions.ThreadStatusChanged,
        }, TeamRules.AuditDetail(change));

    /// <summary>The thread went quiet for the archival period; nobody in particular did it.</summary>
    public AuditEvent Archived() =>
        new(AuditActions.ConversationArchived, "system", clinicId, patientId, conversationId, AuditOutcomes.Success);
}
