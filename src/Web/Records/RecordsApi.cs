using ClinicChat.Access;
using ClinicChat.Conversations;
using ClinicChat.Records;
using ClinicChat.Web.Api;
using ClinicChat.Web.Hosting;
using ClinicChat.Web.Integration;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClinicChat.Web.Records;

/// <summary>
/// Patient records behind the composer's /appt, /invoice and /rx cards: the clinic's systems send
/// them as FHIR R4; staff list a thread patient's recent ones; cards fetch a record's current state.
/// </summary>
public static class RecordsApi
{
    public const string FhirJson = "application/fhir+json";

    /// <summary>The media types FHIR R4 JSON may be sent as: its own, R4's older alias, and plain JSON.</summary>
    private static readonly string[] FhirJsonTypes = [FhirJson, "application/json+fhir", "application/json"];

    /// <summary>A day's worth of a clinic's changes; larger feeds are sent in several imports.</summary>
    public const long MaxImportBytes = 8L * 1024 * 1024;

    private const int PaletteSize = 20;

    public static RouteGroupBuilder MapRecordsApi(this RouteGroupBuilder api)
    {
        // No .Accepts(...): its metadata makes routing itself answer 415 (as ProblemDetails) for another media type, and
        // a FHIR client must get an OperationOutcome; ImportAsync checks the media type.
        api.MapPost("/clinics/{clinicId:guid}/fhir", ImportAsync).WithTags("Records").WithOwnBodyLimit();
        api.MapGet("/conversations/{id:guid}/records", ListAsync).WithTags("Records");
        api.MapGet("/records/{recordId:guid}", GetAsync).WithTags("Records");
        return api;
    }

    /// <summary>
    /// Imports FHIR R4 Appointment, Invoice and MedicationRequest resources (alone or in a Bundle),
    /// upserting by resource id, all or nothing. The clinic's Admins only. Invalid FHIR answers 400
    /// with an OperationOutcome naming each problem, and nothing is applied.
    /// </summary>
    private static async Task<Results<Ok<ImportSummaryDto>, ContentHttpResult, ProblemHttpResult>> ImportAsync(
        Guid clinicId, HttpContext http, Caller caller, IGrainFactory grains)
    {
        var actor = caller.Actor;
        if (!actor.HasRoleAt(clinicId, StaffRole.Admin))
        {
            // The grain decides and audits; asking it first keeps the body unread for anyone else.
            var refused = await grains.GetGrain<IClinicRecordsGrain>(clinicId).ImportAsync(actor, []);
            return ApiProblems.From(refused.Error ?? ChatError.NotFound());
        }

        var mediaType = http.Request.ContentType?.Split(';')[0].Trim();
        if (!FhirJsonTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return Outcome([new FhirIssue("not-supported", $"Send FHIR JSON: Content-Type {FhirJson}.", null, ErrorCode: ApiErrors.UnsupportedMediaType)],
                StatusCodes.Status415UnsupportedMediaType);
        }

        if (http.Request.ContentLength > MaxImportBytes)
        {
            return TooLarge();
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = MaxImportBytes;
        }

        string json;
        try
        {
            using var reader = new StreamReader(http.Request.Body);
            json = await reader.ReadToEndAsync(http.RequestAborted);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }

        var parsed = FhirRecords.Parse(json);
        if (!parsed.IsValid)
        {
            return Outcome(parsed.Issues);
        }

        if (parsed.Records.Count == 0 && parsed.Information is { Count: > 0 } skippedOnly)
        {
            // Nothing ClinicChat keeps (a search result of Encounters, say): nothing to apply, and not an error.
            return TypedResults.Ok(new ImportSummaryDto(0, 0, 0, 0, skippedOnly));
        }

        var outcome = await grains.GetGrain<IClinicRecordsGrain>(clinicId).ImportAsync(actor, parsed.Records);
        return outcome switch
        {
            { Value: { } summary } => TypedResults.Ok(new ImportSummaryDto(summary.Created, summary.Updated, summary.Unchanged, summary.Outdated,
                parsed.Information is { Count: > 0 } information ? information : null)),
            { Error: { Code: ChatErrorCode.Validation } invalid } => Outcome([new FhirIssue(
                invalid.Field?.StartsWith("Patient/", StringComparison.Ordinal) == true ? "not-found" : "invalid", invalid.Detail, null)]),
            _ => ApiProblems.From(outcome.Error!),
        };
    }

    /// <summary>
    /// The thread patient's records of one kind (appointment, invoice, prescription) for the composer's palette, what
    /// matters first (upcoming appointments soonest first, then past ones; active prescriptions and unpaid invoices first),
    /// never withdrawn ones; <c>q</c> keeps those whose shown words start with each of its words.
    /// </summary>
    private static async Task<Results<Ok<RecordListDto>, ProblemHttpResult>> ListAsync(Guid id, string? kind, string? q, Caller caller, IGrainFactory grains)
    {
        var actor = caller.Actor;
        var conversation = await grains.GetGrain<IConversationGrain>(id).GetAsync(actor);
        if (conversation.Value is not { } info)
        {
            return ApiProblems.From(conversation.Error!);
        }

        if (RecordDto.ParseKind(kind) is not { } recordKind)
        {
            return ApiProblems.Validation("kind", "kind must be appointment, invoice or prescription.");
        }

        var outcome = await grains.GetGrain<IClinicRecordsGrain>(info.ClinicId).ListAsync(actor, info.PatientId, recordKind, PaletteSize, q);
        return outcome.ToOk(items => new RecordListDto(items.Select(RecordDto.From).ToList()));
    }

    /// <summary>A record as it is now: to staff who chat at its clinic and to the patient it is about. Anyone else: 404.</summary>
    private static async Task<Results<Ok<RecordDto>, ProblemHttpResult>> GetAsync(Guid recordId, Caller caller, IGrainFactory grains)
    {
        var outcome = await grains.GetGrain<IRecordGrain>(recordId).GetAsync(caller.Actor);
        return outcome.ToOk(RecordDto.From);
    }

    /// <summary>Every answer about the FHIR content (invalid, too large, wrong media type) is an OperationOutcome, as FHIR clients expect.</summary>
    private static ContentHttpResult Outcome(IEnumerable<FhirIssue> issues, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Content(FhirRecords.ToOperationOutcomeJson(issues), FhirJson, statusCode: status);

    private static ContentHttpResult TooLarge() => Outcome(
        [new FhirIssue("too-costly", $"Send at most {MaxImportBytes / (1024 * 1024)} MB per import; split larger feeds.", null, ErrorCode: ApiErrors.FhirImportTooLarge)],
        StatusCodes.Status413PayloadTooLarge);
}
