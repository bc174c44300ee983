using ClinicChat.Access;

namespace ClinicChat.Conversations;

/// <summary>
/// What of a sensitive message a reader may receive. Everything that leaves a grain for a patient
/// (pages, sync, pushes) goes through here, so no path can forget the rule.
/// </summary>
public static class SensitiveRules
{
    public const string PreviewText = "Sensitive message";

    /// <summary>The message as <paramref name="reader"/> may see it now: whole, or locked (no text, attachments or cards).</summary>
    public static MessageView ForReader(MessageView message, Actor reader, DateTimeOffset now) =>
        !message.Sensitive || reader.MaySeeSensitive(now) ? message : Locked(message);

    /// <summary>The form pushed to a patient's topic: pushes go to every device of the patient, whatever its session's window.</summary>
    public static MessageView ForPatientPush(MessageView message) => message.Sensitive ? Locked(message) : message;

    private static MessageView Locked(MessageView message) => message with { Text = string.Empty, Attachments = null, Cards = null, Locked = true };
}
