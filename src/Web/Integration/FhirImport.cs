using ClinicChat.Patients;
using ClinicChat.Records;
using ClinicChat.Web.Notices;
using Microsoft.AspNetCore.Http.Features;

namespace ClinicChat.Web.Integration;

/// <summary>Why a FHIR request was refused: the HTTP status and the OperationOutcome's issues.</summary>
public sealed record FhirRefusal(int Status, IReadOnlyList<FhirIssue> Issues)
{
    public ContentHttpResult ToResult() => FhirImport.Outcome(Issues, Status);

    public static FhirRefusal Invalid(params IReadOnlyList<FhirIssue> issues) => new(StatusCodes.Status400BadRequest, issues);
}

/// <summary>What one FHIR import came to: refused (<see cref="Refused"/>), or what was read and done.</summary>
public sealed record FhirImportOutcome(FhirParseResult? Parsed, EhrImportResult? Result, FhirRefusal? Refused)
{
    public static FhirImportOutcome Refusal(FhirRefusal refused) => new(null, null, refused);
}

/// <summary>
/// The one path a FHIR import takes, whichever endpoint it came in by (the clinic's import endpoint, the FHIR REST base's
/// transaction, batch entry or update): the body read within its limits, parsed and checked, then applied by the
/// clinic's patients grain as one transaction. Every refusal is an OperationOutcome, as FHIR clients expect.
/// </summary>
public sealed class FhirImport(IGrainFactory grains, PhoneRegions regions, [FromKeyedServices(ChatTime.Key)] TimeProvider time)
{
    public const string FhirJson = "application/fhir+json";

    /// <summary>A day's worth of a clinic's changes; larger feeds are sent in several imports.</summary>
    public const long MaxImportBytes = 8L * 1024 * 1024;

    /// <summary>The media types FHIR R4 JSON may be sent as: its own, R4's older alias, and plain JSON.</summary>
    private static readonly string[] FhirJsonTypes = [FhirJson, "application/json+fhir", "application/json"];

    /// <summary>The body as text, or the answer for the wrong media type (415) or a body over <see cref="MaxImportBytes"/> (413).</summary>
    public static async Task<(string? Json, FhirRefusal? Refused)> ReadBodyAsync(HttpContext http)
    {
        var mediaType = http.Request.ContentType?.Split(';')[0].Trim();
        if (!FhirJsonTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return (null, new FhirRefusal(StatusCodes.Status415UnsupportedMediaType,
                [new FhirIssue("not-supported", $"Send FHIR JSON: Content-Type {FhirJson}.", null, ErrorCode: ApiErrors.UnsupportedMediaType)]));
        }

        if (http.Request.ContentLength > MaxImportBytes)
        {
            return (null, TooLarge());
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = MaxImportBytes;
        }

        try
        {
            using var reader = new StreamReader(http.Request.Body);
            return (await reader.ReadToEndAsync(http.RequestAborted), null);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
    }

    /// <summary>What parsing needs to know of the clinic (its MRN system), now.</summary>
    public async Task<FhirImportContext> ContextAsync(Guid clinicId) => new(
        await grains.GetGrain<IClinicPatientsGrain>(clinicId).GetMrnSystemAsync(), time.GetUtcNow(), await regions.OfClinicAsync(clinicId));

    /// <summary>Parses <paramref name="json"/> and applies it, all or nothing. <paramref name="ifMatch"/>: the version an update expects its record at.</summary>
    public async Task<FhirImportOutcome> ApplyAsync(Guid clinicId, Actor actor, string json, FhirImportContext context, int? ifMatch = null)
    {
        var parsed = FhirRecords.Parse(json, context);
        if (!parsed.IsValid)
        {
            return FhirImportOutcome.Refusal(FhirRefusal.Invalid(parsed.Issues));
        }

        var ehrPatients = parsed.Patients ?? [];
        if (parsed.Records.Count == 0 && ehrPatients.Count == 0)
        {
            // Nothing ClinicChat keeps (a search result of Encounters, say): nothing to apply, and not an error.
            return new FhirImportOutcome(parsed, new EhrImportResult([], ImportSummary.Empty), null);
        }

        var records = ifMatch is null ? parsed.Records : [.. parsed.Records.Select(record => record with { IfMatch = ifMatch })];
        var outcome = await grains.GetGrain<IClinicPatientsGrain>(clinicId).ImportFromEhrAsync(actor, ehrPatients, parsed.PatientKeys ?? [], records);
        if (outcome.Value is { } result)
        {
            return new FhirImportOutcome(parsed, result, null);
        }

        var error = outcome.Error!;
        var field = error.Field ?? string.Empty;
        return FhirImportOutcome.Refusal(error.Code switch
        {
            ChatErrorCode.DuplicatePatient => FhirRefusal.Invalid(PatientIssue(error, parsed)),
            ChatErrorCode.Validation when field.StartsWith("keys[", StringComparison.Ordinal) || field.StartsWith("patients[", StringComparison.Ordinal) =>
                FhirRefusal.Invalid(PatientIssue(error, parsed)),
            ChatErrorCode.Validation => FhirRefusal.Invalid(new FhirIssue(field.StartsWith("Patient/", StringComparison.Ordinal) ? "not-found" : "invalid", error.Detail, null)),
            _ => Refusal(error),
        });
    }

    /// <summary>
    /// A refusal of the caller (not of the content) as an OperationOutcome too: 403 <c>forbidden</c> for the clinic's
    /// own staff or integration without the right role or scope, 404 <c>not-found</c> for anyone else.
    /// </summary>
    public static FhirRefusal Refusal(ChatError error) => error.Code switch
    {
        ChatErrorCode.Forbidden => new(StatusCodes.Status403Forbidden, [new FhirIssue("forbidden", error.Detail, null, ErrorCode: ApiErrors.Forbidden)]),
        ChatErrorCode.NotFound => new(StatusCodes.Status404NotFound, [new FhirIssue("not-found", "Not found.", null, ErrorCode: ApiErrors.NotFound)]),
        ChatErrorCode.RetryLater => new(StatusCodes.Status503ServiceUnavailable, [new FhirIssue("transient", error.Detail, null, ErrorCode: ApiErrors.TemporarilyUnavailable)]),
        ChatErrorCode.VersionConflict => new(StatusCodes.Status412PreconditionFailed, [new FhirIssue("conflict", error.Detail, null, ErrorCode: ApiErrors.VersionConflict)]),
        _ => FhirRefusal.Invalid(new FhirIssue("invalid", error.Detail, error.Field, ErrorCode: ApiErrors.ValidationFailed)),
    };

    /// <summary>Every answer about the FHIR content (invalid, too large, wrong media type) is an OperationOutcome, as FHIR clients expect.</summary>
    public static ContentHttpResult Outcome(IEnumerable<FhirIssue> issues, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Content(FhirRecords.ToOperationOutcomeJson(issues), FhirJson, statusCode: status);

    private static FhirRefusal TooLarge() => new(StatusCodes.Status413PayloadTooLarge,
        [new FhirIssue("too-costly", $"Send at most {MaxImportBytes / (1024 * 1024)} MB per import; split larger feeds.", null, ErrorCode: ApiErrors.FhirImportTooLarge)]);

    /// <summary>A refused patient or unresolved reference, named by the place in the import (the grain names it by index).</summary>
    private static FhirIssue PatientIssue(ChatError refused, FhirParseResult parsed)
    {
        var field = refused.Field ?? string.Empty;
        string? At(string prefix, IReadOnlyList<string>? paths) =>
            field.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(field[prefix.Length..^1], out var i) && paths is not null && i < paths.Count ? paths[i] : null;
        var where = At("keys[", parsed.PatientKeyPaths) ?? At("patients[", parsed.Patients is null ? null : parsed.PatientPaths);
        return refused.Code == ChatErrorCode.DuplicatePatient
            ? new FhirIssue("duplicate", $"{refused.Detail} Send its MRN under the clinic's MRN system, or its EHR id, to update that patient.", where, ErrorCode: ApiErrors.DuplicatePatient)
            : new FhirIssue(field.StartsWith("keys[", StringComparison.Ordinal) ? "not-found" : "invalid", refused.Detail, where);
    }
}
