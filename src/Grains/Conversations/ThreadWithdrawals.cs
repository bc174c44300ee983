using ClinicChat.Attachments;
using ClinicChat.Records;
using Microsoft.Extensions.Logging;

namespace ClinicChat.Conversations;

/// <summary>
/// What was taken back after it was sent: messages staff withdrew (recalled, see <see cref="RecallRules"/>) and records the
/// clinic's system withdrew (entered in error). Staff keep seeing what was sent, marked; the patient sees only that it was
/// withdrawn. Runs inside the conversation grain's turn, which owns it.
/// </summary>
internal sealed class ThreadWithdrawals(
    IGrainFactory grains,
    MessageStore messages,
    RecordStore records,
    GroupCommitWriter writer,
    TimeProvider time,
    ConversationAudit audit,
    ConversationEvents events,
    ILogger logger,
    Guid conversationId)
{
    /// <summary>Seqs of the messages withdrawn: few, so held whole.</summary>
    private HashSet<long> _withdrawn = [];

    public async Task LoadAsync() => _withdrawn = await messages.ReadWithdrawnAsync(conversationId);

    /// <summary>Withdraws a message of the clinic's the patient has not read yet (within the recall window).</summary>
    public async Task<Outcome<MessageView>> WithdrawAsync(Actor actor, long seq, long lastSeq, long patientReadUpTo)
    {
        if (seq < 1 || seq > lastSeq || await messages.ReadOneAsync(conversationId, seq) is not { } message)
        {
            return ChatError.NotFound();
        }

        if (_withdrawn.Contains(seq))
        {
            return message with { Withdrawn = true };
        }

        var now = time.GetUtcNow();
        if (RecallRules.Refusal(message, actor, patientReadUpTo, now) is { } refused)
        {
            return refused;
        }

        await writer.WriteAsync(MessageStore.Withdraw(message, actor.UserId, now).Then(AuditLog.Append(now, audit.For(actor, AuditActions.MessageWithdrawn, $"seq={seq}"))));
        _withdrawn.Add(seq);
        if (message.Attachments is { } attachments)
        {
            // The rows already say so; the attachment grains' cached copies must too before the patient fetches.
            await Task.WhenAll(attachments.Select(a => grains.GetGrain<IAttachmentGrain>(a.Id).MarkWithdrawnAsync()));
        }

        events.MessageWithdrawn(seq);
        logger.Withdrawn(conversationId, seq);
        return message with { Withdrawn = true };
    }

    /// <summary>
    /// A page as its reader may see it. A card whose record was withdrawn after it was sent reaches the patient without
    /// what was entered in error; staff keep the snapshot as sent. One record lookup per page that shows a patient cards.
    /// </summary>
    public async Task<List<MessageView>> AsSeenByAsync(Actor reader, IEnumerable<MessageView> page)
    {
        var seen = page.Select(m => AsSeenBy(m, reader)).ToList();
        if (reader.Kind != ActorKind.Patient || !seen.Any(m => m.Cards is { Count: > 0 }))
        {
            return seen;
        }

        var withdrawn = await records.WithdrawnAmongAsync(seen.SelectMany(m => m.Cards ?? []).Select(c => c.RecordId).Distinct().ToList());
        return withdrawn.Count == 0 ? seen : seen.ConvertAll(m => m.Cards is { } cards && cards.Any(c => withdrawn.Contains(c.RecordId))
            ? m with { Cards = [.. cards.Select(c => withdrawn.Contains(c.RecordId) ? c with { Snapshot = RecordSnapshot.Withdrawn(c.Snapshot.Kind) } : c)] }
            : m);
    }

    /// <summary>A withdrawn message as the reader sees it: staff as it was, marked; the patient only that it was withdrawn.</summary>
    private MessageView AsSeenBy(MessageView message, Actor reader) =>
        !_withdrawn.Contains(message.Seq) ? message
            : reader.Kind == ActorKind.Patient ? RecallRules.ForPatient(message) : message with { Withdrawn = true };
}
