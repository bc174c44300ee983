using ClinicChat.Access;
using ClinicChat.Conversations;
using ClinicChat.Integrations;
using ClinicChat.Patients;
using ClinicChat.Records;
using ClinicChat.Web.Api;
using ClinicChat.Web.Hosting;
using ClinicChat.Web.Integration;
using ClinicChat.Web.Notices;
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
        // An EHR calls it with a SMART Backend Services bearer token; an Admin may still call it from a signed-in session.
        api.MapPost("/clinics/{clinicId:guid}/fhir", ImportAsync).WithTags("Records").WithOwnBodyLimit().RequireAuthorization(SmartBackendServices.FhirPolicy);
        api.MapGet("/clinics/{clinicId:guid}/fhir/mrn-system", GetMrnSystemAsync).WithTags("Records");
        api.MapPut("/clinics/{clinicId:guid}/fhir/mrn-system", SetMrnSystemAsync).WithTags("Records").RequireRateLimiting(RateLimits.Send);
        api.MapGet("/conversations/{id:guid}/records", ListAsync).WithTags("Records");
        api.MapGet("/records/{recordId:guid}", GetAsync).WithTags("Records");
        return api;
    }

    /// <summary>
    /// Imports FHIR R4 Appointment, Invoice and MedicationRequest resources (alone or in a Bundle),
    /// upserting by resource id, all or nothing. The clinic's Admins only. Invalid FHIR answers 400
    /// with an OperationOutcome naming each problem, and nothing is applied.
    /// </summary>
    private static async Task<Results<Ok<ImportSummaryDto>, ContentHttpResult>> ImportAsync(
        Guid clinicId, HttpContext http, Caller caller, IGrainFactory grains, IConfiguration configuration,
        [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    {
        var actor = caller.Actor;
        if (!SmartScopes.ResourceTypes.Any(type => actor.MayWriteFhir(clinicId, type)))
        {
            // The grain decides and audits; asking it first keeps the body unread for anyone else.
            var refused = await grains.GetGrain<IClinicRecordsGrain>(clinicId).ImportAsync(actor, []);
            return Refusal(refused.Error ?? ChatError.NotFound());
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

        var patients = grains.GetGrain<IClinicPatientsGrain>(clinicId);
        var context = new FhirImportContext(await patients.GetMrnSystemAsync(), time.GetUtcNow(), MobileNumbers.DefaultRegion(configuration));
        var parsed = FhirRecords.Parse(json, context);
        if (!parsed.IsValid)
        {
            return Outcome(parsed.Issues);
        }

        var information = parsed.Information is { Count: > 0 } skipped ? skipped : null;
        var ehrPatients = parsed.Patients ?? [];
        if (parsed.Records.Count == 0 && ehrPatients.Count == 0)
        {
            // Nothing ClinicChat keeps (a search result of Encounters, say): nothing to apply, and not an error.
            return TypedResults.Ok(new ImportSummaryDto(0, 0, 0, 0, information));
        }

        // Patients and records commit separately (each grain owns its tables): parsing has refused what it can see
        // (over-long texts, a record twice, references that cannot resolve), so a record refused after its patients
        // were written is rare, and sending the import again is idempotent (patients are found by their EHR ids).
        // Patients first (created, updated, their EHR ids kept), then who each record is about.
        var resolution = await patients.ImportFromEhrAsync(caller.Actor, ehrPatients, parsed.PatientKeys ?? []);
        if (resolution.Value is not { } resolved)
        {
            return resolution.Error is { Code: ChatErrorCode.Validation or ChatErrorCode.DuplicatePatient } refused
                ? Outcome([PatientIssue(refused, parsed)])
                : Refusal(resolution.Error!);
        }

        var records = parsed.Records.Select((record, i) => record with { PatientId = resolved.PatientIds[i] }).ToList();
        var outcome = records.Count == 0
            ? new Outcome<ImportSummary>(new ImportSummary(0, 0, 0), null)
            : await grains.GetGrain<IClinicRecordsGrain>(clinicId).ImportAsync(actor, records);
        return outcome switch
        {
            { Value: { } summary } => TypedResults.Ok(new ImportSummaryDto(summary.Created, summary.Updated, summary.Unchanged, summary.Outdated, information,
                resolved.Created, resolved.Updated)),
            { Error: { Code: ChatErrorCode.Validation } invalid } => Outcome([new FhirIssue(
                invalid.Field?.StartsWith("Patient/", StringComparison.Ordinal) == true ? "not-found" : "invalid", invalid.Detail, null)]),
            _ => Refusal(outcome.Error!),
        };
    }

    /// <summary>
    /// A refusal of the caller (not of the content) as an OperationOutcome too: 403 <c>forbidden</c> for the clinic's
    /// own staff or integration without the right role or scope, 404 <c>not-found</c> for anyone else.
    /// </summary>
    private static ContentHttpResult Refusal(ChatError error) => error.Code switch
    {
        ChatErrorCode.Forbidden => Outcome([new FhirIssue("forbidden", error.Detail, null, ErrorCode: ApiErrors.Forbidden)], StatusCodes.Status403Forbidden),
        ChatErrorCode.NotFound => Outcome([new FhirIssue("not-found", "Not found.", null, ErrorCode: ApiErrors.NotFound)], StatusCodes.Status404NotFound),
        ChatErrorCode.RetryLater => Outcome([new FhirIssue("transient", error.Detail, null, ErrorCode: ApiErrors.TemporarilyUnavailable)], StatusCodes.Status503ServiceUnavailable),
        _ => Outcome([new FhirIssue("invalid", error.Detail, error.Field, ErrorCode: ApiErrors.ValidationFailed)]),
    };

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

    /// <summary>The identifier system of the clinic's MRNs in FHIR imports (<c>Patient.identifier.system</c>, conditional references).</summary>
    private static async Task<Results<Ok<MrnSystemDto>, ProblemHttpResult>> GetMrnSystemAsync(Guid clinicId, Caller caller, IGrainFactory grains) =>
        (await grains.GetGrain<IClinicPatientsGrain>(clinicId).ReadMrnSystemAsync(caller.Actor)).ToOk(system => new MrnSystemDto(system));

    /// <summary>Sets it: an absolute URI (as FHIR's <c>uri</c>: e.g. <c>urn:oid:…</c> or <c>https://…</c>), or null to clear it.</summary>
    private static async Task<Results<Ok<MrnSystemDto>, ProblemHttpResult>> SetMrnSystemAsync(Guid clinicId, MrnSystemDto request, Caller caller, IGrainFactory grains)
    {
        var system = request.MrnSystem?.Trim();
        if (system is { Length: > 0 } && (system.Length > 255 || !Uri.TryCreate(system, UriKind.Absolute, out _)))
        {
            return ApiProblems.Validation("mrnSystem", "The MRN system is an absolute URI of at most 255 characters, e.g. urn:oid:2.16.840.1.113883.19.5.");
        }

        var outcome = await grains.GetGrain<IClinicPatientsGrain>(clinicId).SetMrnSystemAsync(caller.Actor, string.IsNullOrEmpty(system) ? null : system);
        return outcome.Error is { } error ? ApiProblems.From(error) : TypedResults.Ok(new MrnSystemDto(outcome.Value));
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
