using ImageMagick;

namespace ClinicChat.PreviewWorker;

/// <summary>
/// Images scaled down with ImageMagick under hard resource limits. The decoder is pinned to the
/// type the upload was detected as, so a file can never be read as one of ImageMagick's scriptable
/// formats (MVG, SVG, PostScript) whatever its bytes say.
/// </summary>
internal static class ImagePreview
{
    /// <summary>
    /// PNG, GIF and WebP decode at full size before they can be scaled (JPEG scales while decoding),
    /// so past this many pixels they get no preview: 40 megapixels is 160 MB of pixels in this build.
    /// A 100-megapixel 16-bit PNG of 777 KB took 72 s and 600 MB per render before this limit.
    /// </summary>
    private const long FullDecodeMaxPixels = 40_000_000;

    public static bool Render(RenderRequest request)
    {
        ApplyLimits(request);
        var settings = new MagickReadSettings
        {
            Format = request.ContentType switch
            {
                "image/jpeg" => MagickFormat.Jpeg,
                "image/png" => MagickFormat.Png,
                "image/gif" => MagickFormat.Gif,
                _ => MagickFormat.WebP,
            },
            FrameIndex = 0,
            FrameCount = 1,
        };

        // The header alone decides whether decoding is affordable.
        var header = new MagickImageInfo(request.Input, settings);
        var maxPixels = settings.Format == MagickFormat.Jpeg ? request.MaxPixels : Math.Min(request.MaxPixels, FullDecodeMaxPixels);
        if (header.Width == 0 || header.Height == 0 || (long)header.Width * header.Height > maxPixels)
        {
            return false;
        }

        if (settings.Format == MagickFormat.Jpeg)
        {
            // libjpeg decodes straight at a fraction of the size (DCT scaling): a 50-megapixel photo
            // never exists in memory at full size.
            settings.SetDefine(MagickFormat.Jpeg, "size", $"{request.MaxEdge * 2}x{request.MaxEdge * 2}");
        }

        using var image = new MagickImage(request.Input, settings);
        image.AutoOrient();
        image.BackgroundColor = MagickColors.White;
        image.Alpha(AlphaAction.Remove);
        image.Thumbnail(new MagickGeometry((uint)request.MaxEdge, (uint)request.MaxEdge) { Greater = true });
        image.Strip();
        image.Format = MagickFormat.Jpeg;
        image.Quality = 80;
        image.Write(request.Output);
        return true;
    }

    /// <summary>
    /// ImageMagick's own limits, so a decoder that asks for more fails instead of growing: no spill to
    /// disk, one thread, and a time limit inside the parent's deadline.
    /// </summary>
    private static void ApplyLimits(RenderRequest request)
    {
        ResourceLimits.Memory = 512UL * 1024 * 1024;
        ResourceLimits.MaxMemoryRequest = 512UL * 1024 * 1024;
        ResourceLimits.Area = (ulong)request.MaxPixels * 4;
        ResourceLimits.Disk = 0;
        ResourceLimits.Width = 65_000;
        ResourceLimits.Height = 65_000;
        ResourceLimits.ListLength = 4;
        ResourceLimits.Thread = 1;
        ResourceLimits.Time = (ulong)Math.Max(1, request.Deadline.TotalSeconds - 1);
    }
}
