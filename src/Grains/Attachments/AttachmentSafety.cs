using System.IO.Compression;

namespace ClinicChat.Attachments;

/// <summary>
/// What a file of an accepted type may contain, checked after its type is known and before it is
/// stored. Every check reads a bounded amount: the sender controls every size a file declares.
/// </summary>
public static class AttachmentSafety
{
    public const string TypeNotAllowed = "attachment_type_not_allowed";
    public const string PdfUnsafe = "attachment_pdf_unsafe";
    public const string ArchiveUnsafe = "attachment_archive_unsafe";

    /// <summary>
    /// Far more entries than any real document (a long Word report has a few dozen; an OpenDocument
    /// file with embedded pictures a few hundred). A 20 MB archive can hold 240,000 empty entries,
    /// and every program that opens it pays for each one.
    /// </summary>
    public const int MaxArchiveEntries = 10_000;

    /// <summary>What the entries may add up to once unpacked, as the archive declares them.</summary>
    public const long MaxArchiveUnpackedBytes = 512L * 1024 * 1024;

    /// <summary>
    /// Office XML compresses about 5–20 times, and a large entry more than this is a bomb (1.2 GB of
    /// spaces packs into 1.2 MB, a ratio of 1,000). Small entries may compress better without harm.
    /// </summary>
    public const int MaxEntryCompressionRatio = 200;

    private const long RatioCheckedFromBytes = 1024 * 1024;

    /// <summary>Null when the file may be stored; otherwise why not.</summary>
    public static Refusal? Check(string path, AttachmentType type) =>
        type == AttachmentTypes.Pdf ? PdfStructure.Check(path)
        : type == AttachmentTypes.Docx || type == AttachmentTypes.Xlsx || type == AttachmentTypes.Odt ? CheckArchive(path)
        : null;

    /// <summary>
    /// Reads the archive's central directory only (bounded by the file's size); nothing is unpacked.
    /// The declared sizes are what a reader of the document will try to allocate, so they are judged.
    /// </summary>
    private static Refusal? CheckArchive(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            if (zip.Entries.Count > MaxArchiveEntries)
            {
                return ArchiveRefusal($"It holds {zip.Entries.Count:N0} parts; documents are limited to {MaxArchiveEntries:N0}.");
            }

            long unpacked = 0;
            foreach (var entry in zip.Entries)
            {
                unpacked += entry.Length;
                if (unpacked > MaxArchiveUnpackedBytes)
                {
                    return ArchiveRefusal($"It unpacks to more than {MaxArchiveUnpackedBytes / (1024 * 1024)} MB.");
                }

                if (entry.Length > RatioCheckedFromBytes && entry.Length > Math.Max(entry.CompressedLength, 1) * MaxEntryCompressionRatio)
                {
                    return ArchiveRefusal("A part of it is compressed far more than a real document can be.");
                }
            }

            return null;
        }
        catch (Exception exception) when (exception is InvalidDataException or NotSupportedException)
        {
            return ArchiveRefusal("Its contents could not be read.");
        }
    }

    private static Refusal ArchiveRefusal(string detail) => new(ArchiveUnsafe, "This document cannot be accepted.", detail);
}
