using ClinicChat.Records;

namespace ClinicChat.Conversations;

/// <summary>
/// What of a sensitive message a reader may receive. Everything that leaves a grain for a patient
/// (pages, sync, pushes, the records its cards refer to) goes through here, so no path can forget the rule.
/// </summary>
/// <remarks>
/// One rule, <see cref="MayOpen(bool, Actor, DateTimeOffset)"/>: sensitive content reaches staff always and a patient only inside the window a
/// re-authentication opened. A message is sensitive if its sender marked it; its attachments and the records its
/// cards refer to become sensitive with it, and stay so: the patient still holds the message, and a record's live
/// state would otherwise show what the locked card hides. Pushes fan out to every device of the patient, whatever
/// each session's window, so what is pushed to a patient is always the locked form.
/// </remarks>
public static class SensitiveRules
{
    public const string PreviewText = "Sensitive message";

    /// <summary>
    /// A thread's one-line preview of its last message: never a sensitive message's text, for patients and staff alike
    /// (a staff sidebar may be on a shared screen at a front desk). The web app's live preview follows the same rule.
    /// </summary>
    public static string? PreviewOf(string? text, bool sensitive) => sensitive ? PreviewText : text;

    /// <summary>Whether <paramref name="reader"/> may receive content that is (or is not) sensitive, now.</summary>
    public static bool MayOpen(bool sensitive, Actor reader, DateTimeOffset now) => !sensitive || reader.MaySeeSensitive(now);

    /// <summary>The message as <paramref name="reader"/> may see it now: whole, or locked (no text, attachments or cards).</summary>
    public static MessageView ForReader(MessageView message, Actor reader, DateTimeOffset now) =>
        MayOpen(message.Sensitive, reader, now) ? message : Locked(message);

    /// <summary>
    /// A stored message as its sender gets it back. A patient who marked a message sensitive gets it locked unless their
    /// window is open: the same answer a reload gives, so the message does not flip.
    /// </summary>
    public static SendReceipt ForSender(MessageView message, Actor sender, DateTimeOffset now, bool duplicate) =>
        new(ForReader(message, sender, now), duplicate);

    /// <summary>The form pushed to a patient's topic: pushes go to every device of the patient, whatever its session's window.</summary>
    public static MessageView ForPatientPush(MessageView message) => message.Sensitive ? Locked(message) : message;

    /// <summary>Whether a record may be read by <paramref name="reader"/> now (the caller has already checked it is theirs to read).</summary>
    public static bool MayOpen(RecordView record, Actor reader, DateTimeOffset now) => MayOpen(record.Sensitive, reader, now);

    /// <summary>
    /// Whether a change of the record is pushed to its patient's topic. A sensitive record's change is not: the push
    /// would name the record to devices that may not see it. Unlocked sessions re-fetch cards when they open the thread.
    /// </summary>
    public static bool PushesToPatient(RecordView record) => !record.Sensitive;

    private static MessageView Locked(MessageView message) => message with { Text = string.Empty, Attachments = null, Cards = null, Locked = true };
}
