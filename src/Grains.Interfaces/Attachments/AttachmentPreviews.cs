namespace ClinicChat.Attachments;

/// <summary>
/// Which attachments get a small JPEG preview (images scaled down, a PDF's first page): asked by the web tier, which links
/// a message's attachments to their previews, and by the renderer that makes them (<c>PreviewRenderer</c>, in a worker
/// process, never in this one), so that a link is offered exactly when a preview can be made on this node.
/// </summary>
public static class AttachmentPreviews
{
    /// <summary>The longer edge of every preview, in pixels.</summary>
    public const int MaxEdge = 480;

    /// <summary>
    /// The programs the preview worker may start are looked up on this path only (it is the worker's
    /// whole PATH), never on the server's own.
    /// </summary>
    public const string WorkerPath = "/usr/local/bin:/usr/bin:/bin";

    /// <summary>Whether PDF pages can be rendered on this machine (Ghostscript installed); without it PDFs show as download cards.</summary>
    public static bool PdfPreviewsAvailable => GhostscriptProbe.Value;

    private static readonly Lazy<bool> GhostscriptProbe = new(() =>
        WorkerPath.Split(':').Any(folder => File.Exists(Path.Combine(folder, "gs"))));

    /// <summary>Whether files of this type get a preview anywhere (the worker has a renderer for it).</summary>
    public static bool IsPreviewable(string contentType) =>
        contentType is "image/jpeg" or "image/png" or "image/gif" or "image/webp" or "application/pdf";

    /// <summary>Whether this node can make a preview of this type now: previewable, and its renderer is installed here.</summary>
    public static bool CanPreview(string contentType) =>
        IsPreviewable(contentType) && (contentType != "application/pdf" || PdfPreviewsAvailable);
}
