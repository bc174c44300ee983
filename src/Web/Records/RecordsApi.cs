using ClinicChat.Conversations;
using ClinicChat.Integrations;
using ClinicChat.Patients;
using ClinicChat.Records;
using ClinicChat.Web.Integration;

namespace ClinicChat.Web.Records;

/// <summary>
/// Patient records behind the composer's /appt, /invoice and /rx cards: the clinic's systems send
/// them as FHIR R4; staff list a thread patient's recent ones; cards fetch a record's current state.
/// </summary>
public static class RecordsApi
{
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
    /// Imports FHIR R4 Patient, Appointment, Invoice and MedicationRequest resources (alone or in a Bundle), upserting by
    /// resource id, all or nothing. The clinic's Admins, or its integration with the types' write scopes. Invalid FHIR
    /// answers 400 with an OperationOutcome naming each problem, and nothing is applied. The FHIR REST base
    /// (<c>/fhir/r4</c>) takes the same imports and answers as FHIR servers do; this endpoint answers with counts.
    /// </summary>
    private static async Task<Results<Ok<ImportSummaryDto>, ContentHttpResult>> ImportAsync(Guid clinicId, HttpContext http, Caller caller, IGrainFactory grains, FhirImport import)
    {
        var actor = caller.Actor;
        if (!SmartScopes.ResourceTypes.Any(type => actor.MayWriteFhir(clinicId, type)))
        {
            // The grain decides and audits; asking it first keeps the body unread for anyone else.
            var refused = await grains.GetGrain<IClinicRecordsGrain>(clinicId).ImportAsync(actor, [], patientsFirst: null);
            return FhirImport.Refusal(refused.Error ?? ChatError.NotFound()).ToResult();
        }

        var (json, unreadable) = await FhirImport.ReadBodyAsync(http);
        if (json is null)
        {
            return unreadable!.ToResult();
        }

        var outcome = await import.ApplyAsync(clinicId, actor, json, await import.ContextAsync(clinicId));
        if (outcome is not { Parsed: { } parsed, Result: { } result })
        {
            return outcome.Refused!.ToResult();
        }

        var records = result.Records;
        return TypedResults.Ok(new ImportSummaryDto(records.Created, records.Updated, records.Unchanged, records.Outdated,
            parsed.Information is { Count: > 0 } skipped ? skipped : null, result.Created, result.Updated));
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
}
