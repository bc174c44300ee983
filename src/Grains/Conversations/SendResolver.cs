using System.Runtime.CompilerServices;
using ClinicChat.Attachments;
using ClinicChat.Onboarding.Portal;
using ClinicChat.Patients;
using ClinicChat.Records;

namespace ClinicChat.Conversations;

/// <summary>What a send resolves to: a new message ready to write, an earlier copy (a retry), or a refusal.</summary>
internal readonly record struct ResolvedSend(MessageView? Message, MessageView? Earlier, ChatError? Error)
{
    public static implicit operator ResolvedSend(ChatError error) => new(null, null, error);
}

/// <summary>
/// Everything a send checks and looks up before the write, in this order: the message's shape, who may attach record
/// cards, a quick retry (answered from memory), the patient's eligibility, then each attachment and card.
/// </summary>
/// <remarks>Grain calls here run inside the conversation grain's turn, so the grain stays non-reentrant around them.</remarks>
internal sealed class SendResolver(IGrainFactory grains, MessageStore messages, TimeProvider time, Guid conversationId, Guid clinicId, Guid patientId)
{
    /// <summary>Recent sends by (sender, client id): answers a quick retry without a database read.</summary>
    private readonly RecentSends _recent = new(capacity: 256);

    /// <summary>A stored message a retry should get back instead of a second copy.</summary>
    public void Remember(MessageView stored) => _recent.Add(stored);

    /// <summary>
    /// The stored copy of a retry that the unique index on (sender, client id) caught: one that reached a fresh activation,
    /// or came after <see cref="RecentSends"/> forgot the first.
    /// </summary>
    public async Task<MessageView> StoredCopyAsync(Actor actor, string clientMessageId, Exception uniqueViolation)
    {
        var stored = await messages.FindByClientIdAsync(conversationId, actor.UserId, clientMessageId)
            ?? throw new InvalidOperationException("Unique violation without a stored message.", uniqueViolation);
        Remember(stored);
        return stored;
    }

    /// <summary>Resolves <paramref name="send"/> into the message that would be stored at <paramref name="seq"/>.</summary>
    // Pooled: awaited exactly once per send, so the send path allocates no state machine for this extra step.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ResolvedSend> ResolveAsync(Actor actor, SendMessage send, long seq)
    {
        var attachmentIds = send.AttachmentIds ?? [];
        var recordIds = send.RecordIds ?? [];
        if (MessageRules.Validate(send.ClientMessageId, send.Text, attachmentIds.Count, recordIds.Count) is { } invalid)
        {
            return invalid;
        }

        if (recordIds.Count > 0 && actor.Kind != ActorKind.Staff)
        {
            return ChatError.Invalid("recordIds", "Only clinic staff attach record cards.");
        }

        if (_recent.TryGet(actor.UserId, send.ClientMessageId, out var earlier))
        {
            return new ResolvedSend(null, earlier, null);
        }

        if (await IneligibleAsync(grains, clinicId, patientId) is { } ineligible)
        {
            return ineligible;
        }

        var attachments = new List<AttachmentRef>(attachmentIds.Count);
        foreach (var attachmentId in attachmentIds.Distinct())
        {
            // Only files this sender uploaded to this conversation: nobody attaches someone else's file.
            if (await grains.GetGrain<IAttachmentGrain>(attachmentId).FindForSendAsync(conversationId, actor.UserId) is not { } found)
            {
                return ChatError.Invalid("attachmentIds", "Each attachment must be uploaded to this conversation by the sender first.");
            }

            attachments.Add(new AttachmentRef(found.Id, found.ContentType, found.SizeBytes, found.DisplayName));
        }

        var cards = new List<CardRef>(recordIds.Count);
        foreach (var recordId in recordIds.Distinct())
        {
            // Only this patient's records at this clinic: a card never shows one patient another's details.
            if (await grains.GetGrain<IRecordGrain>(recordId).FindForSendAsync(clinicId, patientId) is not { } record)
            {
                return ChatError.Invalid("recordIds", "Each record card must be about this thread's patient.");
            }

            if (record.Snapshot.IsWithdrawn)
            {
                return new ChatError(ChatErrorCode.RecordWithdrawn, "The clinic's system withdrew this record (entered in error); it cannot be sent.", "recordIds");
            }

            cards.Add(new CardRef(record.Id, record.Version, record.Snapshot));
        }

        // Stored with millisecond precision; answer with exactly what a later read will return.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        return new ResolvedSend(
            new MessageView(
                conversationId,
                seq,
                send.ClientMessageId,
                actor.UserId,
                MessageRules.SideOf(actor),
                actor.DisplayName,
                send.Text,
                now,
                attachments.Count > 0 ? attachments : null,
                cards.Count > 0 ? cards : null,
                send.Sensitive),
            null,
            null);
    }

    /// <summary>
    /// A patient without a portal account (and no pending invitation), or who opted out, cannot be written to: said before
    /// anything is stored, when staff open a thread and at every send.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<ChatError?> IneligibleAsync(IGrainFactory grains, Guid clinicId, Guid patientId) =>
        await grains.WithInvitationAsync(clinicId, patientId, await grains.GetGrain<IPatientProfileGrain>(patientId).GetChatEligibilityAsync(clinicId)) switch
        {
            ChatEligibility.NoPortalAccount => new ChatError(ChatErrorCode.PatientHasNoPortalAccount, "The patient has no portal account; chat needs one. Offer SMS instead."),
            ChatEligibility.OptedOut => new ChatError(ChatErrorCode.PatientOptedOut, "The patient has opted out of chat; nothing can be delivered."),
            _ => null,
        };
}
