namespace ClinicChat.Attachments;

/// <summary>
/// Which attachments get a small JPEG preview (images scaled down, a PDF's first page). Rendering
/// itself never happens in this process: see <see cref="PreviewRenderer"/>.
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

    public static bool CanPreview(string contentType) =>
        contentType is "image/jpeg" or "image/png" or "image/gif" or "image/webp" || (contentType == "application/pdf" && PdfPreviewsAvailable);
}
