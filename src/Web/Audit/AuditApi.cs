using System.Globalization;
using System.Security.Claims;
using System.Text;
using ClinicChat.Access;
using ClinicChat.Audit;
using ClinicChat.Patients;
using ClinicChat.Web.Api;
using ClinicChat.Web.Hosting;
using ClinicChat.Web.Integration;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClinicChat.Web.Audit;

/// <summary>
/// A clinic's audit log for the clinic's Admins: filtered pages, streamed exports (CSV and FHIR
/// AuditEvent NDJSON) and chain verification. Anyone else gets 404, audited as denied. Using the
/// log is audited in the log itself (<c>audit.viewed</c>, <c>audit.exported</c>, <c>audit.verified</c>).
/// </summary>
public static class AuditApi
{
    public const string Viewed = "audit.viewed";
    public const string Exported = "audit.exported";
    public const string Verified = "audit.verified";

    public const int DefaultLimit = 50;
    public const int PatientPickerLimit = 10;
    public const int MaxLimit = 200;

    /// <summary>Actor ids and action names are short; a longer filter can only be a mistake or a probe.</summary>
    public const int MaxFilterLength = 128;

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
        ClaimsPrincipal user, IGrainFactory grains, AuditStore store, AuditNames names, CancellationToken cancellationToken)
    {
        var actor = user.Actor();
        if (await RefuseAsync(actor, clinicId, grains) is { } refused)
        {
            return refused;
        }

        if (limit is < 1 or > MaxLimit)
        {
            return ApiProblems.Validation("limit", $"limit must be between 1 and {MaxLimit}.");
        }

        if (actorId?.Length > MaxFilterLength || action?.Length > MaxFilterLength)
        {
            return ApiProblems.Validation(actorId?.Length > MaxFilterLength ? "actorId" : "action", $"Filters are at most {MaxFilterLength} characters.");
        }

        var take = limit ?? DefaultLimit;
        var rows = await store.ListAsync(
            new AuditQuery(AuditLog.ChainOf(clinicId), patientId, Blank(actorId), Blank(action), from, to, before, take + 1), cancellationToken);
        var page = await names.NameAsync(clinicId, [.. rows.Take(take).Select(AuditEventDto.From)], cancellationToken);
        await grains.GetGrain<IAuditGrain>(0).RecordAsync(new AuditEvent(Viewed, actor.UserId, clinicId, patientId, null, AuditOutcomes.Success,
            $"events={page.Count.ToString(CultureInfo.InvariantCulture)}"));
        return TypedResults.Ok(new AuditPageDto(page, rows.Count > take ? page[^1].Id : null));
    }

    /// <summary>A time range of the clinic's log, oldest first, streamed as CSV or FHIR AuditEvent NDJSON.</summary>
    private static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> ExportAsync(
        Guid clinicId, string? format, DateTimeOffset? from, DateTimeOffset? to,
        ClaimsPrincipal user, IGrainFactory grains, AuditStore store, HttpContext http)
    {
        var actor = user.Actor();
        if (await RefuseAsync(actor, clinicId, grains) is { } refused)
        {
            return refused;
        }

        var csv = string.Equals(format ?? "csv", "csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && !string.Equals(format, "ndjson", StringComparison.OrdinalIgnoreCase))
        {
            return ApiProblems.Validation("format", "format must be csv or ndjson.");
        }

        // Audited before the first byte leaves: an export cut short still happened.
        var range = $"format={(csv ? "csv" : "ndjson")} from={from?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "-"} to={to?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "-"}";
        await grains.GetGrain<IAuditGrain>(0).RecordAsync(new AuditEvent(Exported, actor.UserId, clinicId, null, null, AuditOutcomes.Success, range));

        var name = $"audit-{clinicId:N}-{DateTimeOffset.UtcNow:yyyyMMdd'T'HHmmss'Z'}.{(csv ? "csv" : "ndjson")}";
        var chain = AuditLog.ChainOf(clinicId);
        return TypedResults.Stream(
            async body =>
            {
                await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024);
                writer.NewLine = csv ? "\r\n" : "\n";
                if (csv)
                {
                    await writer.WriteLineAsync(string.Join(',', CsvColumns));
                }

                await foreach (var row in store.RangeAsync(chain, from, to, http.RequestAborted))
                {
                    await writer.WriteLineAsync(csv ? CsvLine(row) : FhirAuditEvents.ToNdjsonLine(row));
                }
            },
            csv ? "text/csv; charset=utf-8" : "application/fhir+ndjson",
            name);
    }

    /// <summary>
    /// Walks the clinic's chain. When intact, signs its head as a new checkpoint, so the next
    /// verification also catches a rewrite of everything verified now.
    /// </summary>
    private static async Task<Results<Ok<AuditVerificationDto>, ProblemHttpResult>> VerifyAsync(
        Guid clinicId, ClaimsPrincipal user, IGrainFactory grains, AuditStore store, AuditCheckpointSigner signer, CancellationToken cancellationToken)
    {
        var actor = user.Actor();
        if (await RefuseAsync(actor, clinicId, grains) is { } refused)
        {
            return refused;
        }

        var result = await store.VerifyAsync(AuditLog.ChainOf(clinicId), signer, cancellationToken);
        var audit = grains.GetGrain<IAuditGrain>(0);
        if (result.Ok)
        {
            await audit.CheckpointAsync(clinicId);
        }

        await audit.RecordAsync(new AuditEvent(Verified, actor.UserId, clinicId, null, null, AuditOutcomes.Success,
            result.Ok ? $"ok rows={result.Rows.ToString(CultureInfo.InvariantCulture)}" : $"broken row={result.BrokenAtId?.ToString(CultureInfo.InvariantCulture)} problem={ProblemCode(result.Problem)}"));
        return TypedResults.Ok(AuditVerificationDto.From(result));
    }

    /// <summary>
    /// The patient filter's picker: the clinic's patients by name, for its Admins (who have no chat
    /// role, so the chat's patient search refuses them). Names and ids only.
    /// </summary>
    private static async Task<Results<Ok<IReadOnlyList<AuditPatientDto>>, ProblemHttpResult>> FindPatientsAsync(
        Guid clinicId, string? query, ClaimsPrincipal user, IGrainFactory grains, PatientStore patients)
    {
        if (await RefuseAsync(user.Actor(), clinicId, grains) is { } refused)
        {
            return refused;
        }

        if (query?.Length > MaxFilterLength)
        {
            return ApiProblems.Validation("query", $"The search is at most {MaxFilterLength} characters.");
        }

        var found = await patients.SearchAsync(clinicId, query ?? string.Empty, PatientPickerLimit);
        return TypedResults.Ok<IReadOnlyList<AuditPatientDto>>([.. found.Select(p => new AuditPatientDto(p.Id, p.DisplayName))]);
    }

    private static async Task<ProblemHttpResult?> RefuseAsync(Actor actor, Guid clinicId, IGrainFactory grains)
    {
        if (actor.HasRoleAt(clinicId, StaffRole.Admin))
        {
            return null;
        }

        await grains.GetGrain<IAuditGrain>(0).RecordAsync(new AuditEvent(AuditActions.AccessDenied, actor.UserId, clinicId, null, null, AuditOutcomes.Denied, "audit"));
        return ApiProblems.From(ChatError.NotFound());
    }

    public static string? ProblemCode(AuditBreak? problem) => problem switch
    {
        AuditBreak.HashMismatch => "hash_mismatch",
        AuditBreak.PrevHashMismatch => "prev_hash_mismatch",
        AuditBreak.CheckpointSignatureMismatch => "checkpoint_signature_mismatch",
        AuditBreak.CheckpointHashMismatch => "checkpoint_hash_mismatch",
        _ => null,
    };

    public static string CsvLine(AuditRecord row)
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

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
