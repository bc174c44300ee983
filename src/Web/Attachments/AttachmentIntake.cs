using System.Globalization;
using System.Text;
using ClinicChat.Access;
using ClinicChat.Attachments;
using ClinicChat.Conversations;
using ClinicChat.Web.Api;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Attachments;

/// <summary>A file the intake will not take, with the ProblemDetails code (<see cref="ApiErrors"/>) that says why.</summary>
public sealed record IntakeRefusal(string Code, string Title, string? Detail);

/// <summary>What became of a received file: stored and registered, refused by a grain, or refused by the intake.</summary>
public sealed record IntakeResult(AttachmentInfo? Stored, ChatError? Error = null, IntakeRefusal? Refusal = null);

/// <summary>
/// Takes a received file (already streamed to a temporary file by the endpoint, never through a grain) into a
/// conversation: typed from its content, checked for what a browser or viewer could run, images rewritten without
/// their metadata, stored under its hash, then registered with its grain.
/// </summary>
public sealed class AttachmentIntake(IGrainFactory grains, IBlobStore blobs, IOptions<AttachmentOptions> options)
{
    /// <summary>Largest file accepted, in bytes.</summary>
    public long MaxBytes => options.Value.MaxBytes;

    /// <summary>Where the endpoint streams an upload; the endpoint deletes it whatever happens.</summary>
    public string NewUploadPath() => blobs.NewUploadPath();

    /// <summary>Whether the caller may send files in the conversation: asked before the body is read, so a refused caller uploads nothing.</summary>
    public async Task<ChatError?> AdmitAsync(Actor actor, Guid conversationId) =>
        (await grains.GetGrain<IConversationGrain>(conversationId).GetAsync(actor)).Error;

    /// <summary>Types, checks, strips, stores and registers the file at <paramref name="path"/> (<paramref name="size"/> bytes, not empty).</summary>
    public async Task<IntakeResult> AcceptAsync(Actor actor, Guid conversationId, string path, string fileName, long size, CancellationToken cancellationToken)
    {
        var type = AttachmentTypes.Detect(path, fileName);
        if (type is null)
        {
            return Refused(ApiErrors.AttachmentTypeNotAllowed, "This kind of file cannot be sent.",
                "Send images (JPEG, PNG, GIF, WebP, HEIC), PDF, Word, Excel, OpenDocument text, plain text or CSV.");
        }

        if (!AttachmentTypes.NameMatches(type, fileName))
        {
            return Refused(ApiErrors.AttachmentTypeMismatch, "The file's name does not match its content.",
                $"The content is {type.ContentType}; rename the file or send the right one.");
        }

        if (AttachmentSafety.Check(path, type) is { } refusal)
        {
            return Refused(refusal.Code, refusal.Title, refusal.Detail);
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
                return Refused(ApiErrors.AttachmentTypeNotAllowed, "This image could not be read.",
                    "The file starts like an image but is damaged or incomplete.");
            }
            catch (ImageTooLargeException)
            {
                return Refused(ApiErrors.AttachmentTypeNotAllowed, "This image is too large.",
                    $"Images are limited to {ImageMetadata.MaxPixels / 1_000_000} megapixels.");
            }
        }

        var sha256 = await blobs.PutAsync(path, cancellationToken);
        var attachment = new AttachmentInfo(Guid.NewGuid(), conversationId, actor.UserId, type.ContentType, type.Extension, size, sha256, default, DisplayName(fileName, type));
        var registered = await grains.GetGrain<IAttachmentGrain>(attachment.Id).RegisterAsync(actor, attachment);
        return new IntakeResult(registered.Value, registered.Error);
    }

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

    private static IntakeResult Refused(string code, string title, string? detail) => new(null, null, new IntakeRefusal(code, title, detail));
}
