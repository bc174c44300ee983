using System.Globalization;
using System.Text;
using ClinicChat.Conversations;

namespace ClinicChat.Attachments;

/// <summary>
/// Takes a received file (already streamed to a temporary file by the web tier, never through a grain) into a
/// conversation: typed from its content, checked for what a browser or viewer could run, images rewritten without
/// their metadata, stored under its hash, then registered with its grain.
/// </summary>
public sealed class AttachmentIntake(IGrainFactory grains, IBlobStore blobs) : IAttachmentIntake
{
    public const string TypeMismatch = "attachment_type_mismatch";

    public string NewUploadPath() => blobs.NewUploadPath();

    public async Task<ChatError?> AdmitAsync(Actor actor, Guid conversationId) =>
        (await grains.GetGrain<IConversationGrain>(conversationId).GetAsync(actor)).Error;

    public async Task<IntakeResult> AcceptAsync(Actor actor, Guid conversationId, string path, string fileName, long size, CancellationToken cancellationToken)
    {
        var type = AttachmentTypes.Detect(path, fileName);
        if (type is null)
        {
            // A name that claims an accepted type ("invoice.pdf" holding a program): "this kind of file cannot be sent,
            // send PDF" would contradict itself, so the refusal says the content is not what the name says (found on a walk).
            return AttachmentTypes.ClaimedBy(fileName) is { } claimed
                ? Refused(AttachmentSafety.TypeNotAllowed, $"This file is named like {KindOf(claimed)} but its content is not one.",
                    "It may be damaged or another kind of file renamed: open it on your device to check, or send the right file.")
                : Refused(AttachmentSafety.TypeNotAllowed, "This kind of file cannot be sent.",
                    "Send images (JPEG, PNG, GIF, WebP, HEIC), PDF, Word, Excel, OpenDocument text, plain text or CSV.");
        }

        if (!AttachmentTypes.NameMatches(type, fileName))
        {
            return Refused(TypeMismatch, "The file's name does not match its content.",
                $"The content is {type.ContentType}; rename the file or send the right one.");
        }

        if (AttachmentSafety.Check(path, type) is { } refusal)
        {
            return new IntakeResult(null, null, refusal);
        }

        if (type.IsImage)
        {
            try
            {
                // Rewritten before it is hashed and stored: no copy with the location is ever kept.
                type = ImageMetadata.Prepare(path, type);
                size = new FileInfo(path).Length;
            }
            catch (ImageMagick.MagickException)
            {
                return Refused(AttachmentSafety.TypeNotAllowed, "This image could not be read.",
                    "The file starts like an image but is damaged or incomplete.");
            }
            catch (ImageTooLargeException)
            {
                return Refused(AttachmentSafety.TypeNotAllowed, "This image is too large.",
                    $"Images are limited to {ImageMetadata.MaxPixels / 1_000_000} megapixels.");
            }
        }

        var sha256 = await blobs.PutAsync(path, cancellationToken);
        var attachment = new AttachmentInfo(Guid.NewGuid(), conversationId, actor.UserId, type.ContentType, type.Extension, size, sha256, default, DisplayName(fileName, type));
        var registered = await grains.GetGrain<IAttachmentGrain>(attachment.Id).RegisterAsync(actor, attachment);
        return new IntakeResult(registered.Value, registered.Error);
    }

    private static string KindOf(AttachmentType type) =>
        type.IsImage ? "an image"
        : type == AttachmentTypes.Pdf ? "a PDF"
        : type == AttachmentTypes.Docx ? "a Word document"
        : type == AttachmentTypes.Xlsx ? "an Excel workbook"
        : type == AttachmentTypes.Odt ? "an OpenDocument text"
        : type == AttachmentTypes.Csv ? "a CSV file"
        : "a text file";

    /// <summary>
    /// The sender's file name for display only: no path, bounded, with the real extension, and no
    /// control or invisible format characters (Unicode Cc, Cf): a right-to-left override would let
    /// "results\u202Etxt.pdf" read as "resultsfdp.txt", and zero-width characters make look-alikes.
    /// </summary>
    public static string DisplayName(string? claimed, AttachmentType type)
    {
        var name = Path.GetFileNameWithoutExtension((claimed ?? string.Empty).Replace('\\', '/').Split('/')[^1]);
        name = string.Concat(name.EnumerateRunes()
            .Where(r => Rune.GetUnicodeCategory(r) is not (UnicodeCategory.Control or UnicodeCategory.Format))
            .Select(r => r.ToString())).Trim();
        if (name.Length == 0)
        {
            name = "attachment";
        }

        return (name.Length > 100 ? name[..100] : name) + type.Extension;
    }

    private static IntakeResult Refused(string code, string title, string detail) => new(null, null, new Refusal(code, title, detail));
}
