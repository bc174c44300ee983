using ClinicChat.Access;

namespace ClinicChat.Conversations;

/// <summary>What a message must look like before it is stored. Text is stored verbatim, never interpreted.</summary>
public static class MessageRules
{
    public const int MaxTextLength = 4000;
    public const int MaxClientMessageIdLength = 64;
    public const int MaxPageSize = 200;
    public const int MaxAttachments = 10;
    public const int MaxCards = 5;

    /// <summary>A message needs text, an attachment or a record card; counts are checked before anything is looked up.</summary>
    public static ChatError? Validate(string? clientMessageId, string? text, int attachmentCount = 0, int cardCount = 0)
    {
        if (string.IsNullOrWhiteSpace(clientMessageId))
        {
            return ChatError.Invalid("clientMessageId", "clientMessageId is required.");
        }

        if (clientMessageId.Length > MaxClientMessageIdLength || !clientMessageId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            return ChatError.Invalid("clientMessageId", $"clientMessageId must be 1-{MaxClientMessageIdLength} characters of letters, digits, '-', '_', '.' or ':'.");
        }

        if (attachmentCount > MaxAttachments)
        {
            return ChatError.Invalid("attachmentIds", $"A message carries at most {MaxAttachments} attachments.");
        }

        if (cardCount > MaxCards)
        {
            return ChatError.Invalid("recordIds", $"A message carries at most {MaxCards} record cards.");
        }

        if (string.IsNullOrWhiteSpace(text) && attachmentCount == 0 && cardCount == 0)
        {
            return ChatError.Invalid("text", "text must not be empty.");
        }

        if (text?.Length > MaxTextLength)
        {
            return ChatError.Invalid("text", $"text must be at most {MaxTextLength} characters.");
        }

        return null;
    }

    /// <summary>The side a caller writes and reads on: patients on theirs, every kind of staff on the clinic's.</summary>
    public static SenderKind SideOf(Actor actor) => actor.Kind == ActorKind.Patient ? SenderKind.Patient : SenderKind.Staff;

    public static ChatError? Validate(MessagePageQuery query)
    {
        if (query.Limit is < 1 or > MaxPageSize)
        {
            return ChatError.Invalid("limit", $"limit must be between 1 and {MaxPageSize}.");
        }

        if (query.AfterSeq < 0)
        {
            return ChatError.Invalid("afterSeq", "afterSeq must not be negative.");
        }

        if (query.BeforeSeq < 1)
        {
            return ChatError.Invalid("beforeSeq", "beforeSeq must be positive.");
        }

        return null;
    }
}
