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
    public static ChatError? Validate(string? clientMessageId, string? text, int attachmentCount = 0, int cardCount = 0) =>
        ClientIdProblem(clientMessageId, "clientMessageId") ?? ContentProblem(text, attachmentCount, cardCount);

    /// <summary>A sender's idempotency key, refused under the name the request gave it (a message's or a note's).</summary>
    public static ChatError? ClientIdProblem(string? clientId, string field)
    {
        if (string.IsNullOrWhiteSpace(clientId))
        {
            return ChatError.Invalid(field, $"{field} is required.");
        }

        return clientId.Length > MaxClientMessageIdLength || !clientId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? ChatError.Invalid(field, $"{field} must be 1-{MaxClientMessageIdLength} characters of letters, digits, '-', '_', '.' or ':'.")
            : null;
    }

    /// <summary>What a message (or a note: no files, no cards) carries: counts first, then the text.</summary>
    public static ChatError? ContentProblem(string? text, int attachmentCount = 0, int cardCount = 0)
    {
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

/// <summary>When a staff message can be withdrawn (recalled).</summary>
public static class RecallRules
{
    /// <summary>How long after sending a message can be withdrawn (if the patient has not read it).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>Why the message cannot be withdrawn by <paramref name="actor"/>, or null.</summary>
    public static ChatError? Refusal(MessageView message, Actor actor, long patientReadUpTo, DateTimeOffset now)
    {
        if (message.SenderKind != SenderKind.Staff || message.SenderId != actor.UserId)
        {
            return new ChatError(ChatErrorCode.Forbidden, "Only the colleague who sent a message can withdraw it.");
        }

        if (now - message.SentAt > Window)
        {
            return new ChatError(ChatErrorCode.RecallClosed, "A message can be withdrawn only in its first 5 minutes.");
        }

        return patientReadUpTo >= message.Seq ? new ChatError(ChatErrorCode.RecallClosed, "The patient has read it already.") : null;
    }

    /// <summary>A withdrawn message as the patient sees it: that it was, and when; nothing it said or carried.</summary>
    public static MessageView ForPatient(MessageView message) =>
        message with { Text = string.Empty, Attachments = null, Cards = null, Sensitive = false, Locked = false, Withdrawn = true };
}
