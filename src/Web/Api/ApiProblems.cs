using Microsoft.AspNetCore.Mvc;

namespace ClinicChat.Web.Api;

/// <summary>Every error the API returns is a ProblemDetails with a stable, machine-readable <c>code</c> from <see cref="ApiErrors"/>.</summary>
public static class ApiProblems
{
    /// <summary>The one translation of a grain's refusal into HTTP.</summary>
    public static ProblemHttpResult From(ChatError error) => error.Code switch
    {
        ChatErrorCode.NotFound => Problem(ApiErrors.NotFound, "Not found.", error.Detail),
        ChatErrorCode.Validation => Validation(error.Field ?? "request", error.Detail),
        ChatErrorCode.PatientHasNoPortalAccount => Problem(ApiErrors.PatientHasNoPortalAccount, "The patient has no portal account.", error.Detail),
        ChatErrorCode.PatientOptedOut => Problem(ApiErrors.PatientOptedOut, "The patient has opted out of chat.", error.Detail),
        ChatErrorCode.Forbidden => Problem(ApiErrors.Forbidden, "Not allowed.", error.Detail),
        ChatErrorCode.SensitiveLocked => Problem(ApiErrors.SensitiveLocked, "Verify it's you first.", error.Detail),
        ChatErrorCode.ContactNotVerified => Problem(ApiErrors.ContactNotVerified, "Verify this contact first.", error.Detail),
        ChatErrorCode.DuplicatePatient => DuplicatePatient(error),
        ChatErrorCode.LastAdmin => Problem(ApiErrors.LastAdmin, "A clinic needs an Admin.", error.Detail),
        ChatErrorCode.AlreadyMember => Problem(ApiErrors.AlreadyMember, "Already a member.", error.Detail),
        ChatErrorCode.SmsConsentRequired => Problem(ApiErrors.SmsConsentRequired, "SMS consent is not recorded.", error.Detail),
        ChatErrorCode.RecordWithdrawn => Problem(ApiErrors.RecordWithdrawn, "The record was withdrawn.", error.Detail),
        ChatErrorCode.VersionConflict => Problem(ApiErrors.VersionConflict, "Changed since it was read.", error.Detail),
        ChatErrorCode.AssignmentChanged => Problem(ApiErrors.AssignmentChanged, "Assigned otherwise meanwhile.", error.Detail),
        ChatErrorCode.RecallClosed => Problem(ApiErrors.RecallClosed, "It can no longer be withdrawn.", error.Detail),
        ChatErrorCode.ShortcutTaken => Problem(ApiErrors.ShortcutTaken, "That shortcut is taken.", error.Detail, error.Field),
        ChatErrorCode.AccountOfAnother => Problem(ApiErrors.PortalAccountOfAnother, "That email is another patient's portal account.", error.Detail, error.Field),
        ChatErrorCode.RetryLater => Problem(ApiErrors.TemporarilyUnavailable, "Temporarily unavailable; retry.", error.Detail),
        _ => Problem(ApiErrors.InternalError, "Unexpected error.", null),
    };

    /// <summary>The <c>code</c> a refusal is answered with: for answers that are not HTTP (a hub method's error).</summary>
    public static string CodeOf(ChatError error) => (string)From(error).ProblemDetails.Extensions["code"]!;

    /// <summary>Too many wrong passwords at this address, an account or not (both lock alike): said plainly, with <c>lockedUntil</c>.</summary>
    public static ProblemHttpResult AccountLockedUntil(DateTimeOffset until)
    {
        var problem = new ProblemDetails
        {
            Status = ApiErrors.Status[ApiErrors.AccountLocked],
            Title = "Account temporarily locked.",
            Detail = "Too many wrong passwords: the account is locked for a while.",
            Extensions = { ["code"] = ApiErrors.AccountLocked, ["lockedUntil"] = until.ToUniversalTime() },
        };
        return TypedResults.Problem(problem);
    }

    /// <summary>The existing patient's id travels as <c>existingPatientId</c>, so the client can link to them.</summary>
    private static ProblemHttpResult DuplicatePatient(ChatError error)
    {
        var problem = new ProblemDetails
        {
            Status = ApiErrors.Status[ApiErrors.DuplicatePatient],
            Title = "This patient exists already.",
            Detail = error.Detail,
            Extensions = { ["code"] = ApiErrors.DuplicatePatient, ["existingPatientId"] = error.RelatedId },
        };
        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Validation(string field, string detail) =>
        Problem(ApiErrors.ValidationFailed, "The request is not valid.", detail, field);

    /// <summary>
    /// Several fields refused at once (a form): the first as <c>field</c> and <c>detail</c>, as a single refusal is, and all
    /// of them in <c>errors</c> (field → message, in the form's order), so a form marks every wrong field in one round.
    /// </summary>
    public static ProblemHttpResult Validation(IReadOnlyList<ChatError> refusals)
    {
        var first = refusals[0];
        var problem = (ProblemDetails)Problem(ApiErrors.ValidationFailed, "The request is not valid.", first.Detail, first.Field).ProblemDetails;
        problem.Extensions["errors"] = refusals.Where(r => r.Field is not null).DistinctBy(r => r.Field).ToDictionary(r => r.Field!, r => r.Detail);
        return TypedResults.Problem(problem);
    }

    /// <summary>A refusal with the status <see cref="ApiErrors"/> gives its code: a code never travels with another status.</summary>
    public static ProblemHttpResult Problem(string code, string title, string? detail, string? field = null)
    {
        var problem = new ProblemDetails { Status = ApiErrors.Status[code], Title = title, Detail = detail, Extensions = { ["code"] = code } };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }

        return TypedResults.Problem(problem);
    }
}
