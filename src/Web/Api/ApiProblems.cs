using ClinicChat.Access;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace ClinicChat.Web.Api;

/// <summary>Every error the API returns is a ProblemDetails with a stable, machine-readable <c>code</c>.</summary>
public static class ApiProblems
{
    public const string NotFound = "not_found";
    public const string ValidationFailed = "validation_failed";
    public const string MalformedRequest = "malformed_request";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string Forbidden = "forbidden";
    public const string Unauthenticated = "unauthenticated";
    public const string InvalidCredentials = "invalid_credentials";
    public const string PatientHasNoPortalAccount = "patient_has_no_portal_account";
    public const string PatientOptedOut = "patient_opted_out";
    public const string TemporarilyUnavailable = "temporarily_unavailable";
    public const string InternalError = "internal_error";
    public const string SensitiveLocked = "sensitive_locked";
    public const string PasswordRejected = "password_rejected";
    public const string TotpEnrolmentRequired = "totp_enrolment_required";
    public const string TotpAlreadyEnabled = "totp_already_enabled";
    public const string TotpNotSetUp = "totp_not_set_up";
    public const string TotpRequiredByClinic = "totp_required_by_clinic";
    public const string InvalidTotpCode = "invalid_totp_code";
    public const string AccountLocked = "account_locked";

    public static ProblemHttpResult From(ChatError error) => error.Code switch
    {
        ChatErrorCode.NotFound => Problem(StatusCodes.Status404NotFound, NotFound, "Not found.", error.Detail),
        ChatErrorCode.Validation => Validation(error.Field ?? "request", error.Detail),
        ChatErrorCode.PatientHasNoPortalAccount => Problem(StatusCodes.Status409Conflict, PatientHasNoPortalAccount, "The patient has no portal account.", error.Detail),
        ChatErrorCode.PatientOptedOut => Problem(StatusCodes.Status409Conflict, PatientOptedOut, "The patient has opted out of chat.", error.Detail),
        ChatErrorCode.Forbidden => Problem(StatusCodes.Status403Forbidden, Forbidden, "Not allowed.", error.Detail),
        ChatErrorCode.SensitiveLocked => Problem(StatusCodes.Status403Forbidden, SensitiveLocked, "Verify it's you first.", error.Detail),
        ChatErrorCode.RetryLater => Problem(StatusCodes.Status503ServiceUnavailable, TemporarilyUnavailable, "Temporarily unavailable; retry.", error.Detail),
        _ => Problem(StatusCodes.Status500InternalServerError, InternalError, "Unexpected error.", null),
    };

    /// <summary>Too many wrong passwords: told only to the holder of the account's session, with <c>lockedUntil</c>.</summary>
    public static ProblemHttpResult AccountLockedUntil(DateTimeOffset until)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status403Forbidden,
            Title = "Account temporarily locked.",
            Detail = "Too many wrong passwords: the account is locked for a while.",
            Extensions = { ["code"] = AccountLocked, ["lockedUntil"] = until.ToUniversalTime() },
        };
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Validation(string field, string detail) =>
        Problem(StatusCodes.Status400BadRequest, ValidationFailed, "The request is not valid.", detail, field);

    public static ProblemHttpResult Problem(int status, string code, string title, string? detail, string? field = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Extensions = { ["code"] = code } };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }

        return TypedResults.Problem(problem);
    }
}
