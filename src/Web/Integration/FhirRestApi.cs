using System.Globalization;
using System.Text.Json;
using ClinicChat.Integrations;
using ClinicChat.Patients;
using ClinicChat.Records;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Task = System.Threading.Tasks.Task;

namespace ClinicChat.Web.Integration;

/// <summary>
/// The FHIR R4 REST base an EHR talks to, at <c>/fhir/r4</c>: <c>metadata</c> (the CapabilityStatement, with SMART's
/// token endpoint), <c>POST</c> of a transaction or batch Bundle answered by a transaction- or batch-response Bundle,
/// <c>PUT</c> and <c>GET</c> of one resource by id with ETags. Only integrations call it, with a SMART Backend Services
/// bearer token; the clinic is the token's. What each resource means to ClinicChat is <see cref="FhirRecords"/>'s.
/// </summary>
public static class FhirRestApi
{
    public const string BasePath = "/fhir/r4";

    /// <summary>The REST base takes bearer tokens only (no staff cookie): the clinic comes from the token.</summary>
    public const string Policy = "ClinicChat.FhirRest";

    /// <summary>Each batch entry is applied on its own (a grain call each): a batch is bounded as a transaction's records are.</summary>
    private const int MaxBatchEntries = 1000;

    private static readonly string[] Types = [.. SmartScopes.ResourceTypes];

    public static IEndpointRouteBuilder MapFhirRestApi(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup(BasePath).WithTags("FHIR").ExcludeFromDescription();
        fhir.MapGet("/metadata", Metadata).AllowAnonymous();
        fhir.MapGet("/.well-known/smart-configuration", SmartBackendServices.SmartConfiguration).AllowAnonymous();
        fhir.MapPost(string.Empty, PostBundleAsync).RequireAuthorization(Policy);
        fhir.MapPut("/{type}/{id}", UpdateAsync).RequireAuthorization(Policy);
        fhir.MapGet("/{type}/{id}", ReadAsync).RequireAuthorization(Policy);
        return app;
    }

    /// <summary>What this server does, for FHIR clients that ask first; anyone may read it (as FHIR expects).</summary>
    private static ContentHttpResult Metadata(HttpRequest request, [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    {
        var baseUrl = BaseUrl(request);
        var oauth = new Extension { Url = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris" };
        oauth.Extension.Add(new Extension("token", new FhirUri(SmartBackendServices.TokenEndpoint(request))));
        var statement = new CapabilityStatement
        {
            Status = PublicationStatus.Active,
            Date = time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "ClinicChat" },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = "ClinicChat FHIR R4 base for clinic systems", Url = baseUrl },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["json"],
            Rest =
            [
                new CapabilityStatement.RestComponent
                {
                    Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                    Documentation = "Send Patient, Appointment, Invoice and MedicationRequest resources as a transaction or batch Bundle, or one by one with PUT. Records are updated by id; deleting is not supported (send status entered-in-error).",
                    Security = new CapabilityStatement.SecurityComponent
                    {
                        Service = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/restful-security-service", "SMART-on-FHIR")],
                        Extension = [oauth],
                        Description = "SMART Backend Services: client credentials with a private_key_jwt client assertion (RS384 or ES384); scopes system/{type}.read and system/{type}.write.",
                    },
                    Resource = [.. Types.Select(type => new CapabilityStatement.ResourceComponent
                    {
                        Type = type,
                        Interaction =
                        [
                            new() { Code = CapabilityStatement.TypeRestfulInteraction.Read },
                            new() { Code = CapabilityStatement.TypeRestfulInteraction.Update },
                        ],
                        Versioning = type == "Patient" ? CapabilityStatement.ResourceVersionPolicy.NoVersion : CapabilityStatement.ResourceVersionPolicy.VersionedUpdate,
                        UpdateCreate = true,
                        ConditionalCreate = false,
                        ConditionalUpdate = false,
                        ConditionalDelete = CapabilityStatement.ConditionalDeleteStatus.NotSupported,
                    })],
                    Interaction =
                    [
                        new() { Code = CapabilityStatement.SystemRestfulInteraction.Transaction },
                        new() { Code = CapabilityStatement.SystemRestfulInteraction.Batch },
                    ],
                },
            ],
        };
        return Fhir(statement);
    }

    /// <summary>
    /// A transaction (all or nothing, one commit) or a batch (each entry on its own; entries may also read with GET).
    /// Either answers with a response Bundle whose entries say, in order, what became of each: status, location,
    /// ETag and last modified for what ClinicChat keeps, an informational outcome for what it only read or skipped
    /// (and more with <c>Prefer</c>: see <see cref="PreferAsync"/>).
    /// </summary>
    private static async Task<IResult> PostBundleAsync(HttpContext http, Caller caller, FhirImport import, IGrainFactory grains)
    {
        var (json, unreadable) = await FhirImport.ReadBodyAsync(http);
        if (json is null)
        {
            return unreadable!.ToResult();
        }

        var (clinicId, actor) = Integration(caller);
        var kind = BundleKind(json);
        if (kind == Bundle.BundleType.Transaction)
        {
            var outcome = await import.ApplyAsync(clinicId, actor, json, await import.ContextAsync(clinicId));
            if (outcome is not { Parsed: { Entries: { } entries } parsed, Result: { } result })
            {
                return outcome.Refused?.ToResult() ?? FhirRefusal.Invalid(new FhirIssue("invalid", "Send a Bundle.", null)).ToResult();
            }

            var response = TransactionResponse(http.Request, entries, parsed, result);
            await PreferAsync(http.Request, response, clinicId, actor, grains);
            return Fhir(response);
        }

        if (kind == Bundle.BundleType.Batch)
        {
            return await BatchAsync(http.Request, json, clinicId, actor, import, grains);
        }

        return FhirRefusal.Invalid(new FhirIssue("invalid", "POST to the base takes a Bundle of type transaction or batch; PUT single resources to {type}/{id}.", "Bundle.type")).ToResult();
    }

    /// <summary>
    /// Creates or updates one resource under the id in the URL (the EHR's own id; a Patient may be named by its ClinicChat
    /// id too). <c>If-Match: W/"n"</c> applies it only to version n of a record (else 412). <c>Prefer</c> says what the
    /// answer carries: <c>return=minimal</c> nothing, <c>return=OperationOutcome</c> what happened, otherwise the resource
    /// as ClinicChat now keeps it (when the token may also read it).
    /// </summary>
    private static async Task<IResult> UpdateAsync(string type, string id, HttpContext http, Caller caller, FhirImport import, IGrainFactory grains)
    {
        if (!Types.Contains(type, StringComparer.Ordinal))
        {
            return NotSupported();
        }

        var (json, unreadable) = await FhirImport.ReadBodyAsync(http);
        if (json is null)
        {
            return unreadable!.ToResult();
        }

        if (Identity(json) is not var (sentType, sentId) || sentType != type || sentId != id)
        {
            return FhirRefusal.Invalid(new FhirIssue("invalid", $"The body must be a {type} whose id is the id in the URL.", $"{type}.id")).ToResult();
        }

        var ifMatch = http.Request.Headers.IfMatch.ToString();
        int? expected = null;
        if (ifMatch.Length > 0)
        {
            if (type == "Patient" || VersionOf(ifMatch) is not { } version)
            {
                return new FhirRefusal(StatusCodes.Status412PreconditionFailed, [new FhirIssue("conflict",
                    type == "Patient" ? "ClinicChat keeps no versions of patients; send the Patient without If-Match." : "If-Match names a version as W/\"n\".", null,
                    ErrorCode: ApiErrors.VersionConflict)]).ToResult();
            }

            expected = version;
        }

        var (clinicId, actor) = Integration(caller);
        var outcome = await import.ApplyAsync(clinicId, actor, json, await import.ContextAsync(clinicId), expected);
        if (outcome is not { Parsed: { } parsed, Result: { } result })
        {
            return outcome.Refused!.ToResult();
        }

        var response = EntryResponse(type, id, result, RecordsByKey(result));
        var headers = http.Response.Headers;
        if (response.Location is { } location)
        {
            headers.Location = $"{BaseUrl(http.Request)}/{location}";
        }

        if (response.Etag is { } etag)
        {
            headers.ETag = etag;
        }

        if (response.LastModified is { } lastModified)
        {
            headers.LastModified = lastModified.ToString("R", CultureInfo.InvariantCulture);
        }

        var status = response.Status?.StartsWith("201", StringComparison.Ordinal) == true ? StatusCodes.Status201Created : StatusCodes.Status200OK;
        var prefer = ReturnPreference(http.Request);
        if (prefer == "minimal")
        {
            return TypedResults.StatusCode(status);
        }

        if (prefer == "operationoutcome" || !actor.MayReadFhir(clinicId, type))
        {
            return Fhir(OutcomeOf(response), status);
        }

        var stored = await ReadResourceAsync(type, Location(response) ?? id, clinicId, actor, grains);
        return stored.Resource is { } resource ? Fhir(resource, status) : TypedResults.StatusCode(status);
    }

    /// <summary>One resource as ClinicChat keeps it, with its version as the ETag (records) and when it last changed here.</summary>
    private static async Task<IResult> ReadAsync(string type, string id, HttpContext http, Caller caller, IGrainFactory grains)
    {
        if (!Types.Contains(type, StringComparer.Ordinal))
        {
            return NotSupported();
        }

        var (clinicId, actor) = Integration(caller);
        var (resource, refused) = await ReadResourceAsync(type, id, clinicId, actor, grains);
        if (resource is null)
        {
            return refused!.ToResult();
        }

        if (resource.Meta is { VersionId: { } version, LastUpdated: { } lastUpdated })
        {
            http.Response.Headers.ETag = $"W/\"{version}\"";
            http.Response.Headers.LastModified = lastUpdated.ToString("R", CultureInfo.InvariantCulture);
        }

        return Fhir(resource);
    }

    /// <summary>Each entry on its own: a refused entry answers its own status and outcome, and the others still apply.</summary>
    private static async Task<IResult> BatchAsync(HttpRequest request, string json, Guid clinicId, Actor actor, FhirImport import, IGrainFactory grains)
    {
        using var document = JsonDocument.Parse(json);
        var entries = document.RootElement.TryGetProperty("entry", out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray().ToList() : [];
        if (entries.Count > MaxBatchEntries)
        {
            return FhirRefusal.Invalid(new FhirIssue("too-costly", $"A batch holds at most {MaxBatchEntries:N0} entries; send more batches.", "Bundle.entry")).ToResult();
        }

        var context = await import.ContextAsync(clinicId);
        var response = new Bundle { Type = Bundle.BundleType.BatchResponse };
        foreach (var entry in entries)
        {
            var (answer, resource) = await BatchEntryAsync(entry, clinicId, actor, import, grains, context);
            response.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = answer.Location is { } location ? $"{BaseUrl(request)}/{Versionless(location)}" : null,
                Resource = resource,
                Response = answer,
            });
        }

        await PreferAsync(request, response, clinicId, actor, grains);
        return Fhir(response);
    }

    private static async Task<(Bundle.ResponseComponent Response, Resource? Resource)> BatchEntryAsync(
        JsonElement entry, Guid clinicId, Actor actor, FhirImport import, IGrainFactory grains, FhirImportContext context)
    {
        var request = entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("request", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        var method = request.ValueKind == JsonValueKind.Object && request.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        var url = method is null ? null : request.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        if (method == "GET")
        {
            var (type, id) = Split(url);
            if (type is null || !Types.Contains(type, StringComparer.Ordinal))
            {
                return (Refused(NotSupportedRefusal()), null);
            }

            var (resource, refused) = await ReadResourceAsync(type, id!, clinicId, actor, grains);
            return resource is null ? (Refused(refused!), null) : (new Bundle.ResponseComponent
            {
                Status = "200 OK",
                Location = resource.Meta?.VersionId is { } version ? $"{type}/{resource.Id}/_history/{version}" : $"{type}/{resource.Id}",
                Etag = resource.Meta?.VersionId is { } etag ? $"W/\"{etag}\"" : null,
                LastModified = resource.Meta?.LastUpdated,
            }, resource);
        }

        if (method is not ("PUT" or "POST") || !entry.TryGetProperty("resource", out var body) || body.ValueKind != JsonValueKind.Object)
        {
            return (Refused(new FhirRefusal(StatusCodes.Status405MethodNotAllowed, [new FhirIssue("not-supported",
                method == "DELETE" ? "Deleting records is not supported: send the record with a status such as cancelled or entered-in-error instead."
                    : "Each batch entry is a PUT or POST with a resource, or a GET of Type/id.", "request.method")])), null);
        }

        var resourceJson = body.GetRawText();
        if (method == "PUT" && (Identity(resourceJson) is not var (sentType, sentId) || url != $"{sentType}/{sentId}"))
        {
            return (Refused(FhirRefusal.Invalid(new FhirIssue("invalid", "The request URL names a different resource type or id than the entry's resource.", "request.url"))), null);
        }

        int? expected = request.TryGetProperty("ifMatch", out var ifMatch) && ifMatch.ValueKind == JsonValueKind.String ? VersionOf(ifMatch.GetString()!) ?? -1 : null;
        var outcome = await import.ApplyAsync(clinicId, actor, resourceJson, context, expected);
        if (outcome is not { Parsed: { } parsed, Result: { } result })
        {
            return (Refused(outcome.Refused!), null);
        }

        var (resourceType, resourceId) = Identity(resourceJson) ?? (string.Empty, string.Empty);
        return (EntryResponse(resourceType, resourceId, result, RecordsByKey(result)), null);
    }

    private static Bundle TransactionResponse(HttpRequest request, IReadOnlyList<FhirEntryKey> sent, FhirParseResult parsed, EhrImportResult result)
    {
        var response = new Bundle { Type = Bundle.BundleType.TransactionResponse };
        var records = RecordsByKey(result);
        var patientAt = (parsed.PatientPaths ?? []).Select((path, i) => (path, i)).ToDictionary(p => p.path, p => p.i, StringComparer.Ordinal);
        for (var n = 0; n < sent.Count; n++)
        {
            var entryResponse = patientAt.TryGetValue($"Bundle.entry[{n}].resource", out var patientIndex)
                ? PatientResponse(result.Patients.ElementAtOrDefault(patientIndex))
                : EntryResponse(sent[n].Type, sent[n].Id, result, records);
            var information = (parsed.Information ?? []).Where(issue => issue.Expression?.StartsWith($"Bundle.entry[{n}]", StringComparison.Ordinal) == true).ToList();
            if (information.Count > 0)
            {
                entryResponse.Outcome = FhirRecords.ToOperationOutcome(information);
            }

            response.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = entryResponse.Location is { } location ? $"{BaseUrl(request)}/{Versionless(location)}" : null,
                Response = entryResponse,
            });
        }

        return response;
    }

    /// <summary>What became of one resource an import carried: a record by type and id, a Patient by its place, else something only read.</summary>
    private static Bundle.ResponseComponent EntryResponse(
        string type, string? id, EhrImportResult result, Dictionary<(RecordKind Kind, string ResourceId), ImportedRecord> records)
    {
        if (type == "Patient")
        {
            return PatientResponse(result.Patients.FirstOrDefault());
        }

        var record = FhirResources.KindOf(type) is { } kind && id is not null ? records.GetValueOrDefault((kind, id)) : null;
        if (record is null)
        {
            return new Bundle.ResponseComponent
            {
                Status = "200 OK",
                Outcome = FhirRecords.ToOperationOutcome([new FhirIssue("informational",
                    $"{type} is not kept by ClinicChat; it was read for the records that refer to it.", null, "information")]),
            };
        }

        var response = new Bundle.ResponseComponent
        {
            Status = record.Change == ImportChange.Created ? "201 Created" : "200 OK",
            Location = $"{type}/{record.ResourceId}/_history/{record.Version}",
            Etag = $"W/\"{record.Version}\"",
            LastModified = record.UpdatedAt,
        };
        if (record.Change == ImportChange.Outdated)
        {
            response.Outcome = FhirRecords.ToOperationOutcome([new FhirIssue("informational",
                $"Older than the version ClinicChat has (by meta.lastUpdated or meta.versionId); not applied. Version {record.Version} stays.", null, "information")]);
        }

        return response;
    }

    private static Dictionary<(RecordKind Kind, string ResourceId), ImportedRecord> RecordsByKey(EhrImportResult result) =>
        (result.Records.Records ?? []).ToDictionary(record => (record.Kind, record.ResourceId));

    private static Bundle.ResponseComponent PatientResponse(ImportedPatient? patient) => patient is null
        ? new Bundle.ResponseComponent
        {
            Status = "200 OK",
            Outcome = FhirRecords.ToOperationOutcome([new FhirIssue("informational",
                "This Patient has no name and date of birth and matches no patient of the clinic; nothing was stored.", null, "information")]),
        }
        : new Bundle.ResponseComponent
        {
            Status = patient.Change == ImportChange.Created ? "201 Created" : "200 OK",
            Location = $"Patient/{patient.PatientId:D}",
        };

    private static async Task<(Resource? Resource, FhirRefusal? Refused)> ReadResourceAsync(string type, string id, Guid clinicId, Actor actor, IGrainFactory grains)
    {
        if (type == "Patient")
        {
            var patients = grains.GetGrain<IClinicPatientsGrain>(clinicId);
            var patient = await patients.ReadForEhrAsync(actor, id);
            return patient.Value is { } file ? (FhirResources.From(file, await patients.GetMrnSystemAsync()), null) : (null, FhirImport.Refusal(patient.Error!));
        }

        var record = await grains.GetGrain<IClinicRecordsGrain>(clinicId).ReadAsync(actor, FhirResources.KindOf(type)!.Value, id);
        return record.Value is { } view ? (FhirResources.From(view), null) : (null, FhirImport.Refusal(record.Error!));
    }

    /// <summary>The id part of a response's location (<c>Type/id</c>, without its history), for reading back what was written.</summary>
    private static string? Location(Bundle.ResponseComponent response) => response.Location?.Split('/') is [_, var id, ..] ? id : null;

    private static string Versionless(string location) => location.Split("/_history/")[0];

    /// <summary>The entry's own outcome (something to say), else what happened in words.</summary>
    private static OperationOutcome OutcomeOf(Bundle.ResponseComponent response) => response.Outcome as OperationOutcome
        ?? FhirRecords.ToOperationOutcome([new FhirIssue("informational",
            response.Status?.StartsWith("201", StringComparison.Ordinal) == true ? "Created." : "Updated, or already as sent.", null, "information")]);

    /// <summary>
    /// <c>Prefer</c> on a transaction or batch: <c>return=OperationOutcome</c> gives every entry its outcome,
    /// <c>return=representation</c> the resource as now kept (for the types the token may read; each read is audited).
    /// Without it (or with <c>minimal</c>) entries carry their response alone.
    /// </summary>
    private static async Task PreferAsync(HttpRequest request, Bundle response, Guid clinicId, Actor actor, IGrainFactory grains)
    {
        var prefer = ReturnPreference(request);
        foreach (var (entry, answer) in response.Entry.Where(entry => entry.Resource is null).Select(entry => (entry, entry.Response)))
        {
            if (answer is null)
            {
                continue;
            }

            if (prefer == "operationoutcome")
            {
                answer.Outcome = OutcomeOf(answer);
            }
            else if (prefer == "representation" && answer.Location?.Split('/') is [var type, var id, ..]
                && Types.Contains(type, StringComparer.Ordinal) && actor.MayReadFhir(clinicId, type))
            {
                entry.Resource = (await ReadResourceAsync(type, id, clinicId, actor, grains)).Resource;
            }
        }
    }

    private static Bundle.ResponseComponent Refused(FhirRefusal refused) => new()
    {
        Status = $"{refused.Status} {ReasonPhrase(refused.Status)}",
        Outcome = FhirRecords.ToOperationOutcome(refused.Issues),
    };

    private static string ReasonPhrase(int status) => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);

    private static IResult NotSupported() => NotSupportedRefusal().ToResult();

    private static FhirRefusal NotSupportedRefusal() => new(StatusCodes.Status404NotFound,
        [new FhirIssue("not-supported", "ClinicChat serves Patient, Appointment, Invoice and MedicationRequest.", null, ErrorCode: ApiErrors.NotFound)]);

    private static (Guid ClinicId, Actor Actor) Integration(Caller caller) =>
        caller.Actor.Integration is { } grant ? (grant.ClinicId, caller.Actor) : throw new InvalidOperationException("The FHIR REST base admits integrations only.");

    /// <summary>The type of a Bundle by a look at its JSON (null for anything else); parsing proper happens once, later.</summary>
    private static Bundle.BundleType? BundleKind(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("resourceType", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "Bundle"
                && root.TryGetProperty("type", out var kind) && kind.ValueKind == JsonValueKind.String
                    ? kind.GetString() switch { "transaction" => Bundle.BundleType.Transaction, "batch" => Bundle.BundleType.Batch, _ => null }
                    : null;
        }
        catch (JsonException)
        {
            return Bundle.BundleType.Transaction; // Parsing proper says where the JSON is broken.
        }
    }

    /// <summary>A resource's type and id by a look at its JSON; null when it is not an object with both.</summary>
    private static (string Type, string Id)? Identity(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("resourceType", out var type) && type.ValueKind == JsonValueKind.String
                && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                    ? (type.GetString()!, id.GetString()!)
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (string? Type, string? Id) Split(string? url) => url?.Split('/') is [var type, var id] && id.Length > 0 ? (type, id) : (null, null);

    /// <summary>The version an <c>If-Match</c> names: <c>W/"3"</c> (or <c>"3"</c>).</summary>
    private static int? VersionOf(string etag)
    {
        var value = etag.Trim();
        value = value.StartsWith("W/", StringComparison.Ordinal) ? value[2..] : value;
        return value.Length > 2 && value[0] == '"' && value[^1] == '"' && int.TryParse(value[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;
    }

    /// <summary>What the client asked an answer to carry (<c>Prefer: return=…</c>); null when it did not say.</summary>
    private static string? ReturnPreference(HttpRequest request) =>
        request.Headers["Prefer"].SelectMany(value => (value ?? string.Empty).Split(',', ';'))
            .Select(part => part.Trim())
            .FirstOrDefault(part => part.StartsWith("return=", StringComparison.OrdinalIgnoreCase)) is { } preference
            ? preference["return=".Length..].Trim('"').ToLowerInvariant()
            : null;

    /// <summary>The FHIR base as this request reached it (also shown to Admins registering an integration).</summary>
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}{BasePath}";

    private static ContentHttpResult Fhir(Resource resource, int status = StatusCodes.Status200OK) =>
        TypedResults.Content(FhirJsonSerializer.Default.SerializeToString(resource), FhirImport.FhirJson, statusCode: status);
}
