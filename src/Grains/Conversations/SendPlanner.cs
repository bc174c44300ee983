using ClinicChat.Attachments;
using ClinicChat.Records;

namespace ClinicChat.Conversations;

/// <summary>
/// Plans a send: what the message does to the thread's team state, the clinic's after-hours reply, the notice look it
/// starts and the audit rows, as one <see cref="SendCommit"/>; after the commit, memory follows storage and everyone hears.
/// Runs inside the conversation grain's turn, which owns its collaborators.
/// </summary>
internal sealed class SendPlanner(IGrainFactory grains, ConversationAudit audit, ThreadTeamwork teamwork, AfterHoursReply afterHours, ThreadNotices notices, ConversationEvents events)
{
    public async Task<SendPlan> PlanAsync(Actor actor, MessageView message, bool reopening)
    {
        var audits = audit.Sent(actor, message, reopening);
        var team = await teamwork.AfterMessageAsync(actor, message);
        if (team.Audit is { } teamChanged)
        {
            audits.Add(teamChanged);
        }

        // Written while the clinic is closed: its automatic reply is the next message, stored with this one. It starts no
        // notice of its own (the patient is here), and the thread still needs a reply from a person.
        var automatic = await afterHours.ForAsync(message);
        if (automatic is not null)
        {
            audits.Add(audit.AutomaticReplySent(automatic));
        }

        var pending = await notices.PendForAsync(message, team.StartsWait);
        return new SendPlan(message, automatic, team, SendCommit.Of(message, audits, pending, team.Unit, automatic, team.Clock));
    }

    /// <summary>
    /// After the commit: the attachment grains' cached copies say what the rows already say (sent, and sensitive with the
    /// message) before anyone hears of it and fetches; then both sides hear of the message (and the reply, and a reopening), in that order.
    /// </summary>
    public async Task StoredAsync(SendPlan plan)
    {
        if (plan.Message.Attachments is { } attachments)
        {
            await Task.WhenAll(attachments.Select(a => grains.GetGrain<IAttachmentGrain>(a.Id).MarkSentAsync(plan.Message.Sensitive)));
        }

        events.MessageSent(plan.Message);
        if (plan.Automatic is { } automatic)
        {
            afterHours.Sent(automatic);
            events.MessageSent(automatic);
        }

        teamwork.Sent(plan.Team);
    }

    /// <summary>After a commit another activation beat: what was read for the plan may be stale.</summary>
    public void Conflicted() => afterHours.Forget();
}

/// <summary>One send's message, the clinic's automatic reply to it, its effect on the team state, and the commit storing them.</summary>
internal sealed record SendPlan(MessageView Message, MessageView? Automatic, TeamAfterMessage Team, WriteUnit Commit)
{
    /// <summary>The thread's last seq once stored: the automatic reply's, when there is one.</summary>
    public long LastSeq => Automatic?.Seq ?? Message.Seq;
}

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
