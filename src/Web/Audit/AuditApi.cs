using System.Globalization;
using System.Text;
using ClinicChat.Audit;
using ClinicChat.Web.Integration;

namespace ClinicChat.Web.Audit;

/// <summary>
/// A clinic's audit log over HTTP: filtered pages, streamed exports (CSV and FHIR AuditEvent NDJSON) and chain
/// verification. Who may, and the audit rows of using the log, are the <see cref="IClinicAuditGrain"/>'s; this
/// class binds the request, names the page's people and writes the export's bytes.
/// </summary>
public static class AuditApi
{
    public static readonly string[] CsvColumns =
        ["id", "occurredAt", "action", "actorId", "clinicId", "patientId", "conversationId", "outcome", "detail"];

    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        api.MapGet("/clinics/{clinicId:guid}/audit", ListAsync).WithTags("Audit").RequireRateLimiting(RateLimits.Search);
        api.MapGet("/clinics/{clinicId:guid}/audit/export", ExportAsync).WithTags("Audit").RequireRateLimiting(RateLimits.Search);
        api.MapGet("/clinics/{clinicId:guid}/audit/verify", VerifyAsync).WithTags("Audit");
        api.MapGet("/clinics/{clinicId:guid}/audit/patients", FindPatientsAsync).WithTags("Audit").RequireRateLimiting(RateLimits.Search);
        return api;
    }

    /// <summary>Newest first; <c>before</c> is the previous page's <c>nextBefore</c>. <c>to</c> is exclusive.</summary>
    private static async Task<Results<Ok<AuditPageDto>, ProblemHttpResult>> ListAsync(
        Guid clinicId, Guid? patientId, string? actorId, string? action, DateTimeOffset? from, DateTimeOffset? to, long? before, int? limit,
        Caller caller, IGrainFactory grains, AuditNames names, CancellationToken cancellationToken)
    {
        var audit = grains.GetGrain<IClinicAuditGrain>(clinicId);
        var outcome = await audit.ListAsync(caller.Actor, new AuditFilter(patientId, actorId, action, from, to, before, limit));
        if (outcome.Error is { } error)
        {
            return ApiProblems.From(error);
        }

        var page = outcome.Value!;
        var events = await names.NameAsync(audit, caller.Actor, clinicId, [.. page.Entries.Select(AuditEventDto.From)], cancellationToken);
        return TypedResults.Ok(new AuditPageDto(events, page.NextBefore));
    }

    /// <summary>
    /// The clinic's log as the list filters it (a time range; a patient, actor or action when given), oldest first, streamed
    /// as CSV or FHIR AuditEvent NDJSON, chunk by chunk.
    /// </summary>
    private static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> ExportAsync(
        Guid clinicId, string? format, DateTimeOffset? from, DateTimeOffset? to, Guid? patientId, string? actorId, string? action,
        Caller caller, IGrainFactory grains, HttpContext http)
    {
        AuditExportFormat? parsed = (format ?? "csv").ToLowerInvariant() switch
        {
            "csv" => AuditExportFormat.Csv,
            "ndjson" => AuditExportFormat.Ndjson,
            _ => null,
        };
        var audit = grains.GetGrain<IClinicAuditGrain>(clinicId);
        var query = new AuditExportQuery(parsed, from, to, PatientId: patientId, ActorId: actorId, Action: action);
        // The first chunk is asked for before answering: it carries the refusal, and the grain records the export.
        var first = await audit.ExportAsync(caller.Actor, query);
        if (first.Error is { } error)
        {
            return ApiProblems.From(error);
        }

        var csv = parsed == AuditExportFormat.Csv;
        var name = $"audit-{clinicId:N}-{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss'Z'}.{(csv ? "csv" : "ndjson")}";
        return TypedResults.Stream(
            async body =>
            {
                await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024);
                writer.NewLine = csv ? "\r\n" : "\n";
                if (csv)
                {
                    await writer.WriteLineAsync(string.Join(',', CsvColumns));
                }

                for (var chunk = first.Value; chunk is not null;)
                {
                    foreach (var entry in chunk.Entries)
                    {
                        await writer.WriteLineAsync(csv ? CsvLine(entry) : FhirAuditEvents.ToNdjsonLine(entry));
                    }

                    http.RequestAborted.ThrowIfCancellationRequested();
                    chunk = chunk.NextAfter is { } after ? (await audit.ExportAsync(caller.Actor, query with { After = after })).Value : null;
                }
            },
            csv ? "text/csv; charset=utf-8" : "application/fhir+ndjson",
            name);
    }

    /// <summary>Walks the clinic's chain; when intact, the grain signs its head as a new checkpoint.</summary>
    private static async Task<Results<Ok<AuditVerificationDto>, ProblemHttpResult>> VerifyAsync(Guid clinicId, Caller caller, IGrainFactory grains) =>
        (await grains.GetGrain<IClinicAuditGrain>(clinicId).VerifyAsync(caller.Actor)).ToOk(AuditVerificationDto.From);

    /// <summary>The patient filter's picker: the clinic's patients by name, for its Admins. Names and ids only.</summary>
    private static async Task<Results<Ok<IReadOnlyList<AuditPatientDto>>, ProblemHttpResult>> FindPatientsAsync(
        Guid clinicId, string? query, Caller caller, IGrainFactory grains) =>
        (await grains.GetGrain<IClinicAuditGrain>(clinicId).FindPatientsAsync(caller.Actor, query ?? string.Empty))
            .ToOk<IReadOnlyList<AuditPatient>, IReadOnlyList<AuditPatientDto>>(found => [.. found.Select(p => new AuditPatientDto(p.Id, p.DisplayName))]);

    public static string CsvLine(AuditEntry row)
    {
        var e = row.Event;
        return string.Join(',', new[]
        {
            row.Id.ToString(CultureInfo.InvariantCulture), row.OccurredAt.ToString("O", CultureInfo.InvariantCulture), e.Action, e.ActorId,
            e.ClinicId?.ToString(), e.PatientId?.ToString(), e.ConversationId?.ToString(), e.Outcome, e.Detail,
        }.Select(CsvField));
    }

    /// <summary>RFC 4180: quote a field that holds a comma, quote or line break, doubling its quotes.</summary>
    private static string CsvField(string? value) =>
        value is null ? string.Empty
        : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
        : value;
}
