using ClinicChat.Conversations;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Attachments;

/// <summary>
/// One attachment's metadata. Access is whatever its conversation allows the caller, narrowed while
/// the file is a draft: until a sent message carries it, only its uploader may open it.
/// </summary>
public sealed class AttachmentGrain(ChatDatabase database, GroupCommitWriter writer, [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IAttachmentGrain
{
    private AttachmentInfo? _info;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => _info = await AttachmentStore.LoadAsync(database, Id, cancellationToken);

    public async Task<Outcome<AttachmentInfo>> RegisterAsync(Actor actor, AttachmentInfo attachment)
    {
        if (attachment.Id != Id || _info is not null)
        {
            return ChatError.NotFound();
        }

        var conversation = await GrainFactory.GetGrain<IConversationGrain>(attachment.ConversationId).GetAsync(actor);
        if (conversation.Value is not { } info)
        {
            return ChatError.NotFound();
        }

        var stored = attachment with { UploaderId = actor.UserId, CreatedAt = time.GetUtcNow(), Sensitive = false, Sent = false };
        var uploaded = new AuditEvent(AuditActions.AttachmentUploaded, actor.UserId, info.ClinicId, info.PatientId, info.Id, AuditOutcomes.Success,
            $"attachment={stored.Id};type={stored.ContentType};bytes={stored.SizeBytes}");
        var now = stored.CreatedAt;
        await writer.WriteAsync(AttachmentStore.Insert(stored).Then(AuditLog.Append(now, uploaded)));
        _info = stored;
        return stored;
    }

    public async Task<Outcome<AttachmentInfo>> OpenAsync(Actor actor)
    {
        if (_info is null)
        {
            return ChatError.NotFound();
        }

        var conversation = await GrainFactory.GetGrain<IConversationGrain>(_info.ConversationId).GetAsync(actor);
        if (conversation.Value is not { } info)
        {
            return ChatError.NotFound();
        }

        var now = time.GetUtcNow();
        if (!_info.Sent && actor.UserId != _info.UploaderId)
        {
            // The row is the authority: a send whose notification to this grain was lost still counts.
            _info = await AttachmentStore.LoadAsync(database, Id, CancellationToken.None) ?? _info;
            if (!_info.Sent)
            {
                // Answered like an unknown id, so that a draft's existence does not leak.
                return await GrainFactory.DenyAsync(actor, info.ClinicId, info.PatientId, info.Id, $"attachment={Id};unsent");
            }
        }

        if (_info.Withdrawn && actor.Kind == ActorKind.Patient)
        {
            // The message that carried it was withdrawn: to the patient it is as if it had never been sent.
            return await GrainFactory.DenyAsync(actor, info.ClinicId, info.PatientId, info.Id, $"attachment={Id};withdrawn");
        }

        if (_info.Sensitive && !actor.MaySeeSensitive(now))
        {
            return await GrainFactory.DenyAsync(actor, info.ClinicId, info.PatientId, info.Id, $"attachment={Id};sensitive_locked",
                new ChatError(ChatErrorCode.SensitiveLocked, "Verify it's you to open this file."));
        }

        var opened = new AuditEvent(AuditActions.AttachmentDownloaded, actor.UserId, info.ClinicId, info.PatientId, info.Id, AuditOutcomes.Success,
            _info.Sensitive && actor.Kind == ActorKind.Patient ? $"attachment={Id};sensitiveOpened" : $"attachment={Id}");
        await writer.AuditAsync(now, opened);
        return _info;
    }

    public Task MarkSentAsync(bool sensitive)
    {
        _info = _info is null ? null : _info with { Sent = true, Sensitive = _info.Sensitive || sensitive };
        return Task.CompletedTask;
    }

    public Task MarkWithdrawnAsync()
    {
        _info = _info is null ? null : _info with { Withdrawn = true };
        return Task.CompletedTask;
    }

    public Task<AttachmentInfo?> FindForSendAsync(Guid conversationId, string senderId) =>
        Task.FromResult(_info is not null && _info.ConversationId == conversationId && _info.UploaderId == senderId ? _info : null);
}
