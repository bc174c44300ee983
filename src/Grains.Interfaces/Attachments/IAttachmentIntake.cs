namespace ClinicChat.Attachments;

/// <summary>Why a file of an accepted type is still refused: a stable code for clients and words for people.</summary>
public sealed record Refusal(string Code, string Title, string Detail);

/// <summary>What became of a received file: stored and registered, refused by its grain, or refused by the intake.</summary>
public sealed record IntakeResult(AttachmentInfo? Stored, ChatError? Error = null, Refusal? Refusal = null);

/// <summary>
/// Takes a file the web tier has streamed to a temporary file (never through a grain) into a conversation. The web
/// tier parses the request and answers; what a file must be to be accepted is decided here.
/// </summary>
public interface IAttachmentIntake
{
    /// <summary>Where the web tier streams an upload, on the store's volume; the web tier deletes it whatever happens.</summary>
    string NewUploadPath();

    /// <summary>Whether the caller may send files in the conversation: asked before the body is read, so a refused caller uploads nothing.</summary>
    Task<ChatError?> AdmitAsync(Actor actor, Guid conversationId);

    /// <summary>Types, checks, strips, stores and registers the file at <paramref name="path"/> (<paramref name="size"/> bytes, not empty).</summary>
    Task<IntakeResult> AcceptAsync(Actor actor, Guid conversationId, string path, string fileName, long size, CancellationToken cancellationToken);
}
