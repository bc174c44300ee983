using System.Globalization;
using System.Security.Claims;
using System.Text;
using ClinicChat.Attachments;
using ClinicChat.Conversations;
using ClinicChat.Web.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ClinicChat.Web.Api;

public sealed class AttachmentOptions
{
    public const string Section = "ClinicChat:Attachments";

    /// <summary>Largest file accepted, in bytes (25 MB by default).</summary>
    public long MaxBytes { get; set; } = 25L * 1024 * 1024;
}

public sealed record AttachmentDto(Guid AttachmentId, string ContentType, long Size);

/// <summary>
/// Uploads are streamed to a temporary file (never buffered in memory, never through a grain), cut
/// off at the size limit, typed from their content, then stored under their hash. Downloads stream
/// back under the sent (sanitised) names, with headers that stop a browser from running anything in them.
/// </summary>
public static class AttachmentsApi
{
    public const string TooLarge = "attachment_too_large";
    public const string TypeNotAllowed = AttachmentSafety.TypeNotAllowed;
    public const string TypeMismatch = "attachment_type_mismatch";
    public const string PdfUnsafe = AttachmentSafety.PdfUnsafe;
    public const string ArchiveUnsafe = AttachmentSafety.ArchiveUnsafe;

    /// <summary>Room for the multipart boundaries and headers around the file itself.</summary>
    private const long MultipartOverhead = 64 * 1024;

    public static RouteGroupBuilder MapAttachmentsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/conversations/{id:guid}/attachments", UploadAsync).WithTags("Attachments").RequireRateLimiting(RateLimits.Upload).WithOwnBodyLimit();
        api.MapGet("/attachments/{attachmentId:guid}", DownloadAsync).WithTags("Attachments");
        api.MapGet("/attachments/{attachmentId:guid}/preview", PreviewAsync).WithTags("Attachments");
        return api;
    }

    /// <summary>Uploads one file (multipart/form-data) to a conversation; send it with the message's attachmentIds.</summary>
    private static async Task<Results<Created<AttachmentDto>, ProblemHttpResult>> UploadAsync(
        Guid id, HttpContext http, ClaimsPrincipal user, IGrainFactory grains, IBlobStore blobs, IOptions<AttachmentOptions> options)
    {
        var actor = user.Actor();
        var max = options.Value.MaxBytes;
        if ((await grains.GetGrain<IConversationGrain>(id).GetAsync(actor)).Error is { } error)
        {
            return ApiProblems.From(error);
        }

        if (http.Request.ContentLength > max + MultipartOverhead)
        {
            return TooLargeProblem(max);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = max + MultipartOverhead;
        }

        var boundary = MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType) && mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            ? HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value
            : null;
        if (string.IsNullOrEmpty(boundary))
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send the file as multipart/form-data.", null);
        }

        var temp = blobs.NewUploadPath();
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body);
            string? fileName = null;
            long size = 0;
            while (await ReadingRequestAsync(() => reader.ReadNextSectionAsync(http.RequestAborted)) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition())
                {
                    continue;
                }

                if (fileName is not null)
                {
                    return ApiProblems.Validation("file", "Send one file per request.");
                }

                fileName = HeaderUtilities.RemoveQuotes(disposition.FileName.HasValue ? disposition.FileName : disposition.FileNameStar).Value ?? string.Empty;
                size = await CopyWithLimitAsync(section.Body, temp, max, http.RequestAborted);
                if (size > max)
                {
                    return TooLargeProblem(max);
                }
            }

            if (fileName is null || size == 0)
            {
                return ApiProblems.Validation("file", "A non-empty file is required.");
            }

            var type = AttachmentTypes.Detect(temp, fileName);
            if (type is null)
            {
                return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, TypeNotAllowed, "This kind of file cannot be sent.",
                    "Send images (JPEG, PNG, GIF, WebP, HEIC), PDF, Word, Excel, OpenDocument text, plain text or CSV.");
            }

            if (!AttachmentTypes.NameMatches(type, fileName))
            {
                return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, TypeMismatch, "The file's name does not match its content.",
                    $"The content is {type.ContentType}; rename the file or send the right one.");
            }

            if (AttachmentSafety.Check(temp, type) is { } refusal)
            {
                return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, refusal.Code, refusal.Title, refusal.Detail);
            }

            if (type.IsImage)
            {
                try
                {
                    // Rewritten before it is hashed and stored: no copy with the location is ever kept.
                    type = ImageMetadata.Prepare(temp, type);
                    size = new FileInfo(temp).Length;
                }
                catch (ImageMagick.MagickException)
                {
                    return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, TypeNotAllowed, "This image could not be read.",
                        "The file starts like an image but is damaged or incomplete.");
                }
                catch (ImageTooLargeException)
                {
                    return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, TypeNotAllowed, "This image is too large.",
                        $"Images are limited to {ImageMetadata.MaxPixels / 1_000_000} megapixels.");
                }
            }

            var sha256 = await blobs.PutAsync(temp, http.RequestAborted);
            var attachment = new AttachmentInfo(Guid.NewGuid(), id, actor.UserId, type.ContentType, type.Extension, size, sha256, default, DisplayName(fileName, type));
            var registered = await grains.GetGrain<IAttachmentGrain>(attachment.Id).RegisterAsync(actor, attachment);
            return registered.Value is { } stored
                ? TypedResults.Created($"/api/v1/attachments/{stored.Id}", new AttachmentDto(stored.Id, stored.ContentType, stored.SizeBytes))
                : ApiProblems.From(registered.Error!);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLargeProblem(max);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Streams an attachment to a participant of its conversation; anyone else gets 404.</summary>
    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(
        Guid attachmentId, HttpContext http, ClaimsPrincipal user, IGrainFactory grains, IBlobStore blobs)
    {
        var opened = await grains.GetGrain<IAttachmentGrain>(attachmentId).OpenAsync(user.Actor());
        if (opened.Value is not { } attachment)
        {
            return ApiProblems.From(opened.Error!);
        }

        // The browser must take the declared type as final and run nothing from the file.
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        return TypedResults.Stream(await blobs.OpenAsync(attachment.Sha256, http.RequestAborted), attachment.ContentType, DownloadName(attachment), enableRangeProcessing: true);
    }

    /// <summary>A small JPEG preview (an image scaled down, a PDF's first page) for participants; 404 when there is none.</summary>
    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> PreviewAsync(
        Guid attachmentId, HttpContext http, ClaimsPrincipal user, IGrainFactory grains, IBlobStore blobs)
    {
        var opened = await grains.GetGrain<IAttachmentGrain>(attachmentId).OpenAsync(user.Actor());
        if (opened.Value is not { } attachment)
        {
            return ApiProblems.From(opened.Error!);
        }

        var preview = await blobs.OpenPreviewAsync(attachment.Sha256, attachment.ContentType, http.RequestAborted);
        if (preview is null)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "no_preview", "This file has no preview.", null);
        }

        // Previews are patient data: kept out of the browser's disk cache, like every /api answer, so
        // nothing outlives the session or the re-authentication window on a shared computer.
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Stream(preview, "image/jpeg");
    }

    /// <summary>Copies at most <paramref name="max"/> + 1 bytes: reading stops as soon as the file is known to be too large.</summary>
    private static async Task<long> CopyWithLimitAsync(Stream source, string path, long max, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long total = 0;
        await using var target = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, buffer.Length, useAsync: true);
        int read;
        while ((read = await ReadingRequestAsync(() => source.ReadAsync(buffer, cancellationToken).AsTask())) > 0)
        {
            total += read;
            if (total > max)
            {
                return total;
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return total;
    }

    /// <summary>
    /// The multipart reader reports a body that breaks the format (truncated, no closing boundary,
    /// part headers over their limits) as IOException or InvalidDataException: the client's fault,
    /// answered 400 like any unreadable body. Only reads of the request are translated, so a failure
    /// to write the temporary file stays a server error.
    /// </summary>
    private static async Task<T> ReadingRequestAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException and not BadHttpRequestException)
        {
            throw new BadHttpRequestException("The multipart body is malformed or incomplete.", StatusCodes.Status400BadRequest, exception);
        }
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

    /// <summary>
    /// The sent file's display name (already path-free, bounded, without control or format characters),
    /// with the characters Windows and macOS refuse in file names replaced, so the saved file keeps
    /// the name the patient saw. Files stored before names were kept get a server-made name.
    /// The header writer adds filename* (UTF-8) for names beyond ASCII.
    /// </summary>
    public static string DownloadName(AttachmentInfo attachment) => attachment.DisplayName.Length == 0
        ? $"clinicchat-{attachment.Id:N}{attachment.Extension}"
        : string.Concat(attachment.DisplayName.Select(c => UnsafeInFileNames.Contains(c) ? '_' : c));

    private const string UnsafeInFileNames = "<>:\"/\\|?*";

    private static ProblemHttpResult TooLargeProblem(long max) => ApiProblems.Problem(
        StatusCodes.Status413PayloadTooLarge, TooLarge, $"File over {max / (1024 * 1024)} MB — compress and retry", $"Files are limited to {max / (1024 * 1024)} MB.");
}
