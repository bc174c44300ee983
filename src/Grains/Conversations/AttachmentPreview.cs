namespace ClinicChat.Conversations;

/// <summary>
/// The sidebar's line for a message of files and no text: how many and what kind, never a name. A
/// file's name can say what the message is about ("hiv-test.pdf"), and the sidebar is read over
/// shoulders, so names stay inside the thread.
/// </summary>
public static class AttachmentPreview
{
    /// <summary>"📎 Photo", "📎 3 photos", "📎 File", "📎 2 files"; null when there are no files.</summary>
    public static string? For(IReadOnlyList<AttachmentRef>? attachments)
    {
        if (attachments is not { Count: > 0 })
        {
            return null;
        }

        var photos = attachments.All(a => a.ContentType.StartsWith("image/", StringComparison.Ordinal));
        return (attachments.Count, photos) switch
        {
            (1, true) => "📎 Photo",
            (1, false) => "📎 File",
            (var count, true) => $"📎 {count} photos",
            (var count, false) => $"📎 {count} files",
        };
    }
}
