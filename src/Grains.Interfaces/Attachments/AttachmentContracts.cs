namespace ClinicChat.Attachments;

/// <summary>A stored file's metadata. The bytes are in the blob store under <see cref="Sha256"/>.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.AttachmentInfo")]
public sealed record AttachmentInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ConversationId,
    [property: Id(2)] string UploaderId,
    [property: Id(3)] string ContentType,
    [property: Id(4)] string Extension,
    [property: Id(5)] long SizeBytes,
    [property: Id(6)] string Sha256,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] string DisplayName = "",
    [property: Id(9)] bool Sensitive = false,
    [property: Id(10)] bool Sent = false,
    [property: Id(11)] bool Withdrawn = false);

/// <summary>
/// Attachments belong to their conversation: only its participants may add or fetch them, and until
/// a sent message carries the file only its uploader may fetch it (an upload is a draft). The
/// conversation grain decides membership; this grain decides the draft rule.
/// </summary>
public interface IAttachmentGrain : IGrainWithGuidKey
{
    /// <summary>Records an uploaded file (already stored as a blob) against the conversation.</summary>
    Task<Outcome<AttachmentInfo>> RegisterAsync(Actor actor, AttachmentInfo attachment);

    /// <summary>The attachment's metadata if the caller may fetch it; audited either way.</summary>
    Task<Outcome<AttachmentInfo>> OpenAsync(Actor actor);

    /// <summary>For the conversation grain at send time: the attachment if this sender uploaded it to this conversation.</summary>
    Task<AttachmentInfo?> FindForSendAsync(Guid conversationId, string senderId);

    /// <summary>For the conversation grain, after a message carrying this file was stored (the row already says so).</summary>
    Task MarkSentAsync(bool sensitive);

    /// <summary>For the conversation grain, after the message carrying this file was withdrawn: the patient may no longer open it.</summary>
    Task MarkWithdrawnAsync();
}
