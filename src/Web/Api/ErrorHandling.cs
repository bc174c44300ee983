using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace ClinicChat.Web.Api;

/// <summary>
/// Turns exceptions into ProblemDetails. Malformed requests (bad JSON, wrong types, unbindable query
/// values) become 400 naming the field; an unavailable cluster becomes a retryable 503. Nothing here
/// logs request content.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, title, field) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge, ApiErrors.RequestTooLarge, "Request too large.", null),
            BadHttpRequestException bad => (bad.StatusCode, ApiErrors.MalformedRequest, "The request could not be read.", FieldOf(bad)),
            // JSON binding throws InvalidOperationException for a charset .NET does not know ("charset=bogus").
            InvalidOperationException when HasUnknownCharset(http.Request) =>
                (StatusCodes.Status415UnsupportedMediaType, ApiErrors.UnsupportedMediaType, "Send JSON encoded as UTF-8.", null),
            _ when IsClusterUnavailable(exception) => (StatusCodes.Status503ServiceUnavailable, ApiErrors.TemporarilyUnavailable, "Temporarily unavailable; retry.", null),
            _ => (StatusCodes.Status500InternalServerError, ApiErrors.InternalError, "Unexpected error.", null),
        };
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            // Expected while a silo or the database is away: one line, the client retries.
            LogUnavailable(http.Request.Method, http.Request.Path, exception.GetType().Name);
        }
        else if (status >= 500)
        {
            LogFailed(exception, http.Request.Method, http.Request.Path);
        }

        http.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Extensions = { ["code"] = code } };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>
    /// A grain call failed because a silo or the database is away (a timeout, Orleans' own failures, the storage fault
    /// filter's <c>StorageUnavailableException</c>): expected during a restart, answered as retryable wherever it happens.
    /// </summary>
    public static bool IsClusterUnavailable(Exception exception) => exception is TimeoutException or OrleansException;

    private static bool HasUnknownCharset(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.Charset.HasValue && type.Encoding is null;

    /// <summary>"$.text" from a JSON error becomes "text"; a failed query binding names its parameter.</summary>
    private static string? FieldOf(BadHttpRequestException exception)
    {
        if (exception.InnerException is JsonException { Path: { Length: > 2 } path })
        {
            return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
        }

        const string Marker = "parameter \"";
        var start = exception.Message.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += Marker.Length;
        var end = exception.Message.IndexOf('"', start);
        var parameter = end > start ? exception.Message[start..end] : null;
        // "SendMessageRequest request" names a body; "Int32 limit" names a query value.
        return parameter?.Split(' ').LastOrDefault();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Method} {Path} answered 503: the cluster is unavailable ({Exception}).")]
    private partial void LogUnavailable(string method, PathString path, string exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Method} {Path} failed.")]
    private partial void LogFailed(Exception exception, string method, PathString path);
}
