using ImageMagick;

namespace ClinicChat.Attachments;

/// <summary>
/// Where a photo was taken is never kept. Phones and editors write it in several places: the EXIF
/// GPS block (JPEG, WebP, PNG's eXIf), XMP (<c>exif:GPSLatitude</c>, <c>photoshop:City</c>) and IPTC
/// (city, sublocation, country). The image is rewritten without the GPS block, without XMP and IPTC
/// as a whole (they are free-form: a location can hide under any name), and without text
/// attributes ImageMagick derived from them, which its PNG writer would otherwise store back as
/// <c>tEXt exif:GPSLatitude</c>. Orientation and the rest of EXIF stay. An image with nothing to
/// remove is stored as sent: re-encoding a JPEG loses quality. HEIC, which browsers cannot show and
/// this ImageMagick build cannot write, is stored as JPEG.
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

        // Most images carry nothing to remove, and are never decoded here: decoding is what costs
        // (a 100-megapixel 16-bit PNG of 777 KB took 700 MB in the server just to be read back).
        var isHeic = detected == AttachmentTypes.Heic;
        if (!isHeic && !MayCarryLocation(path, detected))
        {
            return detected;
        }

        // One decode at a time in this process, so concurrent uploads cannot add their pixels up.
        lock (DecodeGate)
        {
            return Rewrite(path, detected, isHeic);
        }
    }

    private static readonly Lock DecodeGate = new();

    private static AttachmentType Rewrite(string path, AttachmentType detected, bool isHeic)
    {
        using var image = new MagickImage(path);
        if (!RemoveLocation(image) && !isHeic)
        {
            return detected;
        }

        if (isHeic)
        {
            image.AutoOrient();
            image.Format = MagickFormat.Jpeg;
            image.Quality = 90;
        }

        // A JPEG keeps the quality ImageMagick estimated from its tables when it was read.
        image.Write(path);
        return isHeic ? AttachmentTypes.Jpeg : detected;
    }

    /// <summary>
    /// Whether the file has any block where a location could be kept, read from its structure
    /// without decoding a pixel. Conservative: any metadata block means a decode and a closer look.
    /// PNG and WebP are walked chunk by chunk (a text chunk may follow the image data, where a ping
    /// would stop); JPEG and GIF are pinged (their metadata precedes the image data).
    /// </summary>
    private static bool MayCarryLocation(string path, AttachmentType type)
    {
        if (type == AttachmentTypes.Png)
        {
            return ContainerChunks.Png(path).Any(chunk => chunk is "eXIf" or "tEXt" or "zTXt" or "iTXt");
        }

        if (type == AttachmentTypes.WebP)
        {
            return ContainerChunks.WebP(path).Any(chunk => chunk is "EXIF" or "XMP ");
        }

        using var probe = new MagickImage();
        probe.Ping(path);
        return (probe.GetExifProfile() is { } exif && exif.Values.Any(v => IsLocation(v.Tag.ToString())))
            || probe.ProfileNames.Any(name => name is "xmp" or "iptc" or "8bim")
            || probe.AttributeNames.Any(IsLocationAttribute);
    }

    /// <summary>Removes every place a location can be kept; whether there was anything to remove.</summary>
    private static bool RemoveLocation(MagickImage image)
    {
        var removed = false;
        if (image.GetExifProfile() is { } exif && exif.Values.Any(v => IsLocation(v.Tag.ToString())))
        {
            exif.AllowedIfds = ExifIfds.Ifd0 | ExifIfds.Exif;
            exif.RemoveValue(ExifTag.GPSIFDOffset);
            image.SetProfile(exif);
            removed = true;
        }

        foreach (var profile in (string[])["xmp", "iptc", "8bim"])
        {
            if (image.HasProfile(profile))
            {
                image.RemoveProfile(profile);
                removed = true;
            }
        }

        foreach (var attribute in image.AttributeNames.Where(IsLocationAttribute).ToList())
        {
            image.RemoveAttribute(attribute);
            removed = true;
        }

        return removed;
    }

    private static bool IsLocation(string name) => name.Contains("GPS", StringComparison.OrdinalIgnoreCase);

    /// <summary>Attributes read from EXIF GPS, XMP or IPTC (a PNG's text chunks become attributes too).</summary>
    private static bool IsLocationAttribute(string name) =>
        IsLocation(name)
        || name.StartsWith("xmp", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("XML:com.adobe.xmp", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("iptc", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("photoshop:", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("8bim", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The image claims more pixels than <see cref="ImageMetadata.MaxPixels"/>.</summary>
public sealed class ImageTooLargeException() : Exception("The image has more pixels than are accepted.");
