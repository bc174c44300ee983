using ClinicChat.Attachments;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ClinicChat.Web.Attachments;

/// <summary>
/// Uploads are streamed to a temporary file (never buffered in memory, never through a grain) and cut
/// off at the size limit here; the intake (<see cref="IAttachmentIntake"/>) decides whether the file is
/// taken and stores it under its hash. Downloads stream
/// back under the sent (sanitised) names, with headers that stop a browser from running anything in them.
/// </summary>
public static class AttachmentsApi
{
    /// <summary>Room for the multipart boundaries and headers around the file itself.</summary>
    private const long MultipartOverhead = 64 * 1024;

    public static RouteGroupBuilder MapAttachmentsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/conversations/{id:guid}/attachments", UploadAsync).WithTags("Attachments").RequireRateLimiting(RateLimits.Upload).WithOwnBodyLimit();
        api.MapGet("/attachments/{attachmentId:guid}", DownloadAsync).WithTags("Attachments");
        api.MapGet("/attachments/{attachmentId:guid}/preview", PreviewAsync).WithTags("Attachments");
        api.MapGet("/attachments/{attachmentId:guid}/view", ViewAsync).WithTags("Attachments");
        return api;
    }

    /// <summary>Uploads one file (multipart/form-data) to a conversation; send it with the message's attachmentIds.</summary>
    private static async Task<Results<Created<AttachmentDto>, ProblemHttpResult>> UploadAsync(
        Guid id, HttpContext http, Caller caller, IAttachmentIntake intake, IOptions<AttachmentOptions> options)
    {
        var max = options.Value.MaxBytes;
        if (await intake.AdmitAsync(caller.Actor, id) is { } error)
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
            return ApiProblems.Problem(ApiErrors.UnsupportedMediaType, "Send the file as multipart/form-data.", null);
        }

        var temp = intake.NewUploadPath();
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

            return await intake.AcceptAsync(caller.Actor, id, temp, fileName, size, http.RequestAborted) switch
            {
                { Stored: { } stored } => TypedResults.Created($"/api/v1/attachments/{stored.Id}", new AttachmentDto(stored.Id, stored.ContentType, stored.SizeBytes)),
                { Refusal: { } refusal } => ApiProblems.Problem(refusal.Code, refusal.Title, refusal.Detail),
                var result => ApiProblems.From(result.Error!),
            };
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

    /// <summary>Streams an attachment to a participant of its conversation, as a download; anyone else gets 404.</summary>
    private static Task<Results<FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(
        Guid attachmentId, HttpContext http, Caller caller, IGrainFactory grains, IBlobStore blobs) =>
        ServeAsync(attachmentId, http, caller, grains, blobs, inBrowser: false);

    /// <summary>
    /// A PDF (or an image) shown in the browser's own viewer in a tab of its own, for participants; other files are
    /// downloads only (404 <c>not_viewable</c>). The page may load nothing from anywhere (<c>default-src 'none'</c>) but
    /// the document itself (<c>object-src 'self'</c>, which Chromium's viewer needs). It cannot be sandboxed further:
    /// Chromium refuses to show a PDF under a CSP <c>sandbox</c> or any <c>frame-ancestors</c> (verified on this
    /// machine's Chromium); the viewer runs the PDF in its own process, outside this origin, and a page of another site
    /// that frames the URL gets no session cookie (SameSite) and so no file.
    /// </summary>
    private static Task<Results<FileStreamHttpResult, ProblemHttpResult>> ViewAsync(
        Guid attachmentId, HttpContext http, Caller caller, IGrainFactory grains, IBlobStore blobs) =>
        ServeAsync(attachmentId, http, caller, grains, blobs, inBrowser: true);

    /// <summary>One authorisation and audit (the attachment grain's) for both ways of serving a file; the browser must take the declared type as final.</summary>
    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> ServeAsync(
        Guid attachmentId, HttpContext http, Caller caller, IGrainFactory grains, IBlobStore blobs, bool inBrowser)
    {
        var opened = await grains.GetGrain<IAttachmentGrain>(attachmentId).OpenAsync(caller.Actor);
        if (opened.Value is not { } attachment)
        {
            return ApiProblems.From(opened.Error!);
        }

        if (inBrowser && !ViewableTypes.Contains(attachment.ContentType, StringComparer.Ordinal))
        {
            return ApiProblems.Problem(ApiErrors.NotViewable, "This file opens as a download.", "Only PDFs and images open in the browser.");
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        var content = await blobs.OpenAsync(attachment.Sha256, http.RequestAborted);
        if (!inBrowser)
        {
            // A download runs nothing from the file, wherever it is opened.
            http.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
            return TypedResults.Stream(content, attachment.ContentType, DownloadName(attachment), enableRangeProcessing: true);
        }

        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; object-src 'self'";
        http.Response.Headers.ContentDisposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("inline") { FileNameStar = DownloadName(attachment) }.ToString();
        return TypedResults.Stream(content, attachment.ContentType, enableRangeProcessing: true);
    }

    /// <summary>What a browser shows itself, and never runs: PDFs in its viewer, raster images (no SVG).</summary>
    private static readonly string[] ViewableTypes = ["application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"];

    /// <summary>A small JPEG preview (an image scaled down, a PDF's first page) for participants; 404 when there is none.</summary>
    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> PreviewAsync(
        Guid attachmentId, HttpContext http, Caller caller, IGrainFactory grains, IBlobStore blobs)
    {
        var opened = await grains.GetGrain<IAttachmentGrain>(attachmentId).OpenAsync(caller.Actor);
        if (opened.Value is not { } attachment)
        {
            return ApiProblems.From(opened.Error!);
        }

        var preview = await blobs.OpenPreviewAsync(attachment.Sha256, attachment.ContentType, http.RequestAborted);
        if (preview is null)
        {
            return ApiProblems.Problem("no_preview", "This file has no preview.", null);
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
    /// The sent file's display name (already path-free, bounded, without control or format characters),
    /// with the characters Windows and macOS refuse in file names replaced, so the saved file keeps
    /// the name the patient saw. Files stored before names were kept get a server-made name.
    /// The header writer adds filename* (UTF-8) for names beyond ASCII.
    /// </summary>
    public static string DownloadName(AttachmentInfo attachment) => attachment.DisplayName.Length == 0
        ? $"clinicchat-{attachment.Id:N}{attachment.Extension}"
        : string.Concat(attachment.DisplayName.Select(c => UnsafeInFileNames.Contains(c) ? '_' : c));

    private const string UnsafeInFileNames = "<>:\"/\\|?*";

    private static ProblemHttpResult TooLargeProblem(long max) => ApiProblems.Problem(ApiErrors.AttachmentTooLarge, $"File over {max / (1024 * 1024)} MB — compress and retry", $"Files are limited to {max / (1024 * 1024)} MB.");
}
