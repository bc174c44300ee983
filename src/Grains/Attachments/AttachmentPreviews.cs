using ImageMagick;

namespace ClinicChat.Attachments;

/// <summary>
/// Small JPEG previews: images scaled down, PDFs as their first page. PDF pages are rendered by
/// ImageMagick through Ghostscript (Debian package <c>ghostscript</c>); without it PDFs simply have
/// no preview and show as download cards.
/// </summary>
public static class AttachmentPreviews
{
    public const int MaxEdge = 480;

    /// <summary>Whether PDF pages can be rendered on this machine (Ghostscript present); probed once.</summary>
    public static bool PdfPreviewsAvailable => PdfProbe.Value;

    private static readonly Lazy<bool> PdfProbe = new(() =>
    {
        var source = Path.GetTempFileName();
        var target = Path.GetTempFileName();
        try
        {
            File.WriteAllText(source, "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
            return TryRender(source, "application/pdf", target);
        }
        finally
        {
            File.Delete(source);
            File.Delete(target);
        }
    });

    public static bool CanPreview(string contentType) =>
        contentType is "image/jpeg" or "image/png" or "image/gif" or "image/webp" || (contentType == "application/pdf" && PdfPreviewsAvailable);

    /// <summary>Renders the preview of <paramref name="source"/> into <paramref name="target"/>; false when it cannot be rendered here.</summary>
    public static bool TryRender(string source, string contentType, string target)
    {
        if (contentType is not ("image/jpeg" or "image/png" or "image/gif" or "image/webp" or "application/pdf"))
        {
            return false;
        }

        try
        {
            var settings = contentType == "application/pdf"
                ? new MagickReadSettings { Density = new Density(96), FrameIndex = 0, FrameCount = 1 }
                : new MagickReadSettings { FrameIndex = 0, FrameCount = 1 };
            using var image = new MagickImage(source, settings);
            image.AutoOrient();
            image.BackgroundColor = MagickColors.White;
            image.Alpha(AlphaAction.Remove);
            image.Thumbnail(new MagickGeometry(MaxEdge, MaxEdge) { Greater = true });
            image.Strip();
            image.Format = MagickFormat.Jpeg;
            image.Quality = 80;
            image.Write(target);
            return true;
        }
        catch (MagickException)
        {
            // No renderer for it here (PDF without Ghostscript) or a file ImageMagick cannot read.
            return false;
        }
    }
}
