using ImageMagick;

namespace ClinicChat.Attachments;

/// <summary>
/// Phones write where a photo was taken into its EXIF GPS block. That is never kept: the image is
/// rewritten without it before it is stored (orientation and the rest of the metadata stay).
/// HEIC, which browsers cannot show and this ImageMagick build cannot write, is stored as JPEG.
/// </summary>
public static class ImageMetadata
{
    /// <summary>
    /// More than any phone camera's usual output (12–50 megapixels). A PNG header of a few bytes can
    /// claim 100,000 × 100,000 pixels; decoding that kept a core busy for most of a minute here.
    /// </summary>
    public const long MaxPixels = 100_000_000;

    /// <summary>
    /// Rewrites the file at <paramref name="path"/> when it carries a location or is HEIC; returns
    /// the type it is stored as. Throws <see cref="MagickException"/> when the image cannot be read
    /// and <see cref="ImageTooLargeException"/> when it claims more than <see cref="MaxPixels"/>.
    /// </summary>
    public static AttachmentType Prepare(string path, AttachmentType detected)
    {
        // The header alone, before anything is decoded: the size it claims decides what decoding costs.
        var header = new MagickImageInfo(path);
        if ((long)header.Width * header.Height > MaxPixels)
        {
            throw new ImageTooLargeException();
        }

        using var image = new MagickImage(path);
        var exif = image.GetExifProfile();
        var hasLocation = exif is not null && exif.Values.Any(v => v.Tag.ToString().StartsWith("GPS", StringComparison.Ordinal));
        var isHeic = detected == AttachmentTypes.Heic;
        if (!hasLocation && !isHeic)
        {
            return detected;
        }

        if (hasLocation)
        {
            exif!.AllowedIfds = ExifIfds.Ifd0 | ExifIfds.Exif;
            image.SetProfile(exif);
        }

        if (isHeic)
        {
            image.AutoOrient();
            image.Format = MagickFormat.Jpeg;
            image.Quality = 90;
        }

        image.Write(path);
        return isHeic ? AttachmentTypes.Jpeg : detected;
    }
}

/// <summary>The image claims more pixels than <see cref="ImageMetadata.MaxPixels"/>.</summary>
public sealed class ImageTooLargeException() : Exception("The image has more pixels than are accepted.");
