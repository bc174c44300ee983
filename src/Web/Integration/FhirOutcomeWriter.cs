namespace ClinicChat.Web.Integration;

/// <summary>
/// Under the FHIR base every error is an OperationOutcome, including those the endpoints never see: a missing or revoked
/// token (401), an unknown path or method (404, 405), too many requests (429), a failure (500). They reach the
/// ProblemDetails service (status code pages, the exception handler, the rate limiter's answer), which asks this
/// writer first; it writes the same status, ClinicChat's code and the words as an OperationOutcome.
/// </summary>
public sealed class FhirOutcomeWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => context.HttpContext.Request.Path.StartsWithSegments(FhirRestApi.BasePath);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        var code = problem.Extensions.TryGetValue("code", out var given) && given is string known ? known : ApiErrors.ForStatus(status);
        var issue = status switch
        {
            StatusCodes.Status401Unauthorized => "login",
            StatusCodes.Status403Forbidden => "forbidden",
            StatusCodes.Status404NotFound => "not-found",
            StatusCodes.Status405MethodNotAllowed or StatusCodes.Status415UnsupportedMediaType => "not-supported",
            StatusCodes.Status409Conflict or StatusCodes.Status412PreconditionFailed => "conflict",
            StatusCodes.Status413PayloadTooLarge => "too-costly",
            StatusCodes.Status429TooManyRequests => "throttled",
            StatusCodes.Status503ServiceUnavailable => "transient",
            >= 500 => "exception",
            _ => "invalid",
        };
        var words = status == StatusCodes.Status401Unauthorized
            ? "Send a SMART Backend Services access token: Authorization: Bearer …"
            : problem.Detail ?? problem.Title ?? $"{Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status)}.";
        context.HttpContext.Response.StatusCode = status;
        return new ValueTask(FhirImport.Outcome([new FhirIssue(issue, words, null, ErrorCode: code)], status).ExecuteAsync(context.HttpContext));
    }
}
