using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace ClinicChat.Attachments;

/// <summary>A file type ClinicChat accepts, as decided from the file's content.</summary>
public sealed record AttachmentType(string ContentType, string Extension, bool IsImage);

/// <summary>
/// Decides what a file is from its bytes (signatures and container structure), never from its name
/// or the browser's claim. Anything else is refused, so HTML, SVG, scripts and executables can never
/// be stored, whatever they are called. No well-kept .NET library for this restores here (the one
/// candidate is a 2017 beta), and each check below is a few documented bytes.
/// </summary>
public static class AttachmentTypes
{
    public static readonly AttachmentType Jpeg = new("image/jpeg", ".jpg", true);
    public static readonly AttachmentType Png = new("image/png", ".png", true);
    public static readonly AttachmentType Gif = new("image/gif", ".gif", true);
    public static readonly AttachmentType WebP = new("image/webp", ".webp", true);
    public static readonly AttachmentType Heic = new("image/heic", ".heic", true);
    public static readonly AttachmentType Pdf = new("application/pdf", ".pdf", false);
    public static readonly AttachmentType Docx = new("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx", false);
    public static readonly AttachmentType Xlsx = new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", false);
    public static readonly AttachmentType Odt = new("application/vnd.oasis.opendocument.text", ".odt", false);
    public static readonly AttachmentType Text = new("text/plain", ".txt", false);
    public static readonly AttachmentType Csv = new("text/csv", ".csv", false);

    /// <summary>Names a client may give each type; a name with another extension is a mismatch.</summary>
    private static readonly Dictionary<AttachmentType, string[]> Extensions = new()
    {
        [Jpeg] = [".jpg", ".jpeg"], [Png] = [".png"], [Gif] = [".gif"], [WebP] = [".webp"], [Heic] = [".heic", ".heif"],
        [Pdf] = [".pdf"], [Docx] = [".docx"], [Xlsx] = [".xlsx"], [Odt] = [".odt"], [Text] = [".txt", ".text", ".log"], [Csv] = [".csv"],
    };

    /// <summary>The type of the file at <paramref name="path"/>, or null when it is not one we accept.</summary>
    public static AttachmentType? Detect(string path, string? claimedName)
    {
        Span<byte> head = stackalloc byte[16];
        int read;
        using (var file = File.OpenRead(path))
        {
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        head = head[..read];
        var detected = DetectSignature(head) ?? DetectContainer(path, head) ?? DetectText(path, claimedName);
        return detected;
    }

    /// <summary>The accepted type the client's file name claims (by its extension), or null when it claims none.</summary>
    public static AttachmentType? ClaimedBy(string? claimedName)
    {
        var extension = Path.GetExtension(claimedName ?? string.Empty).ToLowerInvariant();
        return extension.Length == 0 ? null : Extensions.FirstOrDefault(e => e.Value.Contains(extension)).Key;
    }

    /// <summary>Whether the client's file name agrees with what the content is.</summary>
    public static bool NameMatches(AttachmentType type, string? claimedName)
    {
        var extension = Path.GetExtension(claimedName ?? string.Empty).ToLowerInvariant();
        return extension.Length == 0 || Extensions[type].Contains(extension);
    }

    private static AttachmentType? DetectSignature(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((byte[])[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }

        if (head.StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return Gif;
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return WebP;
        }

        // ISO base media file: "ftyp" at offset 4, then a brand naming HEIF/HEIC.
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            var brand = Encoding.ASCII.GetString(head[8..12]);
            if (brand is "heic" or "heix" or "hevc" or "hevx" or "heim" or "heis" or "mif1" or "msf1")
            {
                return Heic;
            }
        }

        return head.StartsWith("%PDF-"u8) ? Pdf : null;
    }

    /// <summary>Office documents are ZIP containers; what is inside says which kind.</summary>
    private static AttachmentType? DetectContainer(string path, ReadOnlySpan<byte> head)
    {
        if (!head.StartsWith("PK\u0003\u0004"u8))
        {
            return null;
        }

        try
        {
            using var zip = ZipFile.OpenRead(path);
            var mimetype = zip.GetEntry("mimetype");
            if (mimetype is not null)
            {
                return ReadMimetype(mimetype) == Odt.ContentType ? Odt : null;
            }

            if (zip.GetEntry("[Content_Types].xml") is null)
            {
                return null;
            }

            return zip.GetEntry("word/document.xml") is not null ? Docx
                : zip.GetEntry("xl/workbook.xml") is not null ? Xlsx
                : null;
        }
        catch (Exception exception) when (exception is InvalidDataException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// The entry's first 100 bytes only, streamed: its declared size is the sender's word, and a 1 MB
    /// file can inflate to gigabytes (a real mimetype is 39 bytes). What follows is not read here; an
    /// entry that inflates far beyond its size is refused by <see cref="AttachmentSafety"/>.
    /// </summary>
    private static string ReadMimetype(ZipArchiveEntry entry)
    {
        Span<byte> buffer = stackalloc byte[100];
        using var stream = entry.Open();
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return Encoding.ASCII.GetString(buffer[..read]).Trim();
    }

    /// <summary>Plain text: valid UTF-8 without control characters (other than tab and line breaks).</summary>
    private static AttachmentType? DetectText(string path, string? claimedName)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0)
        {
            return null;
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        if (text.Any(c => char.IsControl(c) && c is not ('\t' or '\r' or '\n' or '\uFEFF')))
        {
            return null;
        }

        // Markup is text too, but never stored: a browser might render it. Browsers skip invisible
        // format characters (a zero-width space, a byte order mark) before markup, so this does too.
        if (FirstVisible(text) == '<')
        {
            return null;
        }

        return Path.GetExtension(claimedName ?? string.Empty).Equals(".csv", StringComparison.OrdinalIgnoreCase) ? Csv : Text;
    }

    /// <summary>The first character that is neither white space nor an invisible format character (Unicode Cf).</summary>
    private static char? FirstVisible(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsWhiteSpace(rune) && Rune.GetUnicodeCategory(rune) != UnicodeCategory.Format)
            {
                return rune.IsBmp ? (char)rune.Value : null;
            }
        }

        return null;
    }
}
