using ClinicChat.Clinics;

namespace ClinicChat.Conversations;

/// <summary>
/// The clinic's automatic reply to a patient who writes while it is closed: at most once per thread in each closed period
/// (see <see cref="OfficeHoursRules.ShouldAutoReply"/>), stored as the next message in the patient's own commit. The
/// clinic's hours come from the thread's copy of its profile; when it last replied here is read once per activation.
/// </summary>
internal sealed class AfterHoursReply(CachedClinicProfile profile, MessageStore messages, Guid conversationId)
{
    private DateTimeOffset? _lastReplyAt;
    private bool _loaded;

    /// <summary>The reply that follows <paramref name="sent"/>, or null when none is due (staff wrote, the clinic is open, or replied already).</summary>
    public async Task<MessageView?> ForAsync(MessageView sent)
    {
        if (sent.SenderKind != SenderKind.Patient)
        {
            return null;
        }

        var clinic = await profile.GetAsync();
        if (!clinic.Hours.Known || string.IsNullOrWhiteSpace(clinic.Hours.AfterHoursReply))
        {
            return null;
        }

        if (!_loaded)
        {
            _lastReplyAt = await messages.LastSentByAsync(conversationId, AutomaticReply.SenderId);
            _loaded = true;
        }

        if (!OfficeHoursRules.ShouldAutoReply(clinic.Hours, sent.SentAt, _lastReplyAt))
        {
            return null;
        }

        var seq = sent.Seq + 1;
        return new MessageView(conversationId, seq, $"after-hours-{seq}", AutomaticReply.SenderId, SenderKind.Staff, clinic.Name, clinic.Hours.AfterHoursReply, sent.SentAt);
    }

    /// <summary>After the reply's commit: the closed period has had its reply.</summary>
    public void Sent(MessageView reply) => _lastReplyAt = reply.SentAt;

    /// <summary>After a failed commit or a conflict: ask the table again next time.</summary>
    public void Forget() => _loaded = false;
}
