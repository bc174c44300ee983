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
    /// Rewrites the file at <paramref name="path"/> when it carries a location or is HEIC; returns
    /// the type it is stored as. Throws <see cref="MagickException"/> when the image cannot be read.
    /// </summary>
    public static AttachmentType Prepare(string path, AttachmentType detected)
    {
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
