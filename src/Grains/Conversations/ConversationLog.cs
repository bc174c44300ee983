using Microsoft.Extensions.Logging;

namespace ClinicChat.Conversations;

/// <summary>What the conversation grain logs: ids and seqs, never text or names.</summary>
internal static partial class ConversationLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} started at clinic {ClinicId}.")]
    public static partial void Started(this ILogger logger, Guid conversationId, Guid clinicId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Conversation {ConversationId} stored message {Seq}.")]
    public static partial void Sent(this ILogger logger, Guid conversationId, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} archived after inactivity.")]
    public static partial void Archived(this ILogger logger, Guid conversationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Conversation {ConversationId} found seq {Seq} already taken; caught up with the stored tail.")]
    public static partial void SeqConflict(this ILogger logger, Guid conversationId, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId}: team change {Kind} by user {UserId}.")]
    public static partial void TeamChanged(this ILogger logger, Guid conversationId, TeamChangeKind kind, string userId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Conversation {ConversationId} stored note {ItemSeq}.")]
    public static partial void NoteAdded(this ILogger logger, Guid conversationId, long itemSeq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Conversation {ConversationId} withdrew message {Seq}.")]
    public static partial void Withdrawn(this ILogger logger, Guid conversationId, long seq);

    [LoggerMessage(Level = LogLevel.Information, Message = "Access to conversation {ConversationId} denied for user {UserId}.")]
    public static partial void Denied(this ILogger logger, Guid conversationId, string userId);
}
