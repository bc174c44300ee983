namespace ClinicChat.Conversations;

/// <summary>
/// The one line a thread list shows for a thread's last message. A sensitive message is never
/// previewed (<see cref="SensitiveRules.PreviewOf"/>), not even by what kind of files it holds; a
/// message of files alone is previewed by kind and count, never by name (<see cref="AttachmentPreview"/>).
/// </summary>
public static class ThreadPreview
{
    public const int MaxLength = 140;

    /// <summary>A withdrawn last message: for everyone, what it said stays out of the list.</summary>
    public const string Withdrawn = "Message withdrawn";

    /// <summary>
    /// The preview of the last message, or null for a thread without one. <paramref name="attachments"/>
    /// is read only when the text is blank, so a caller may pass null for a message with text.
    /// </summary>
    public static string? Of(string? text, bool sensitive, IReadOnlyList<AttachmentRef>? attachments)
    {
        if (string.IsNullOrWhiteSpace(text) && !sensitive)
        {
            text = AttachmentPreview.For(attachments) ?? text;
        }

        return SensitiveRules.PreviewOf(text, sensitive) is { } preview ? OneLine(preview) : null;
    }

    /// <summary>Line breaks and tabs become single spaces; a longer text is cut with an ellipsis at <see cref="MaxLength"/>.</summary>
    private static string OneLine(string text)
    {
        var flat = string.Join(' ', text.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= MaxLength ? flat : string.Concat(flat.AsSpan(0, MaxLength - 1), "…");
    }
}
