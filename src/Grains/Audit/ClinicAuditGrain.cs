using System.Globalization;
using ClinicChat.Patients;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace ClinicChat.Audit;

/// <summary>
/// One clinic's audit log for its Admins. A stateless worker keyed by the clinic: it holds nothing between calls, so
/// a long verification or export never queues another Admin's page behind it, while the key still scopes every call
/// to one clinic's chain (the rule "only this clinic's Admins" reads the key, not an argument).
/// </summary>
[StatelessWorker]
public sealed class ClinicAuditGrain(
    AuditStore store,
    PatientStore patients,
    GroupCommitWriter writer,
    AuditCheckpointSigner signer,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IClinicAuditGrain
{
    private Guid ClinicId => this.GetPrimaryKey();

    private string Chain => AuditLog.ChainOf(ClinicId);

    public async Task<Outcome<AuditPage>> ListAsync(Actor actor, AuditFilter filter)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        if (filter.Limit is < 1 or > AuditLimits.MaxLimit)
        {
            return ChatError.Invalid("limit", $"limit must be between 1 and {AuditLimits.MaxLimit}.");
        }

        if (FilterProblem(filter.ActorId, filter.Action) is { } invalid)
        {
            return invalid;
        }

        var take = filter.Limit ?? AuditLimits.DefaultLimit;
        var rows = await store.ListAsync(new AuditQuery(
            Chain, filter.PatientId, Blank(filter.ActorId), Blank(filter.Action), filter.From, filter.To, filter.Before, take + 1));
        List<AuditEntry> page = [.. rows.Take(take).Select(r => r.ToEntry())];
        await AuditAsync(actor, AuditActions.AuditViewed, filter.PatientId, $"events={page.Count.ToString(CultureInfo.InvariantCulture)}");
        return new AuditPage(page, rows.Count > take ? page[^1].Id : null);
    }

    public async Task<Outcome<AuditExportChunk>> ExportAsync(Actor actor, AuditExportQuery query)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        if (query.Format is not { } format)
        {
            return ChatError.Invalid("format", "format must be csv or ndjson.");
        }

        if (FilterProblem(query.ActorId, query.Action) is { } invalid)
        {
            return invalid;
        }

        var (actorId, action) = (Blank(query.ActorId), Blank(query.Action));
        if (query.After is null)
        {
            // Audited before the first row leaves: an export cut short still happened. The patient is the row's own column;
            // of the person and action filters only that they were used (their values are free text in a URL, and an audit
            // row carries ids and codes, never what someone typed).
            await AuditAsync(actor, AuditActions.AuditExported, query.PatientId,
                $"format={(format == AuditExportFormat.Csv ? "csv" : "ndjson")} from={Millis(query.From)} to={Millis(query.To)}"
                + (actorId is null ? "" : " by_actor") + (action is null ? "" : " by_action"));
        }

        var rows = await store.PageAfterAsync(
            new AuditQuery(Chain, query.PatientId, actorId, action, query.From, query.To, Limit: AuditLimits.ExportChunk), query.After ?? 0);
        return new AuditExportChunk([.. rows.Select(r => r.ToEntry())], rows.Count < AuditLimits.ExportChunk ? null : rows[^1].Id);
    }

    public async Task<Outcome<AuditVerification>> VerifyAsync(Actor actor)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        var result = await store.VerifyAsync(Chain, signer);
        // Without a key (outside Development, unconfigured) there is nothing to sign with: no checkpoint.
        if (result.Ok && signer.HasKey)
        {
            await writer.CheckpointAsync(Chain, signer, time.GetUtcNow());
        }

        await AuditAsync(actor, AuditActions.AuditVerified, null, result.Ok
            ? $"ok rows={result.Rows.ToString(CultureInfo.InvariantCulture)}"
            : $"broken row={result.BrokenAtId?.ToString(CultureInfo.InvariantCulture)} problem={AuditVerification.CodeOf(result.Problem)}");
        return result;
    }

    public async Task<Outcome<IReadOnlyList<AuditPatient>>> FindPatientsAsync(Actor actor, string query)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        if (query.Length > AuditLimits.MaxFilterLength)
        {
            return ChatError.Invalid("query", $"The search is at most {AuditLimits.MaxFilterLength} characters.");
        }

        var found = await patients.SearchAsync(ClinicId, query, AuditLimits.PatientPickerLimit);
        return found.Select(p => new AuditPatient(p.Id, p.DisplayName)).ToList();
    }

    public async Task<Outcome<IReadOnlyList<AuditPatient>>> NamePatientsAsync(Actor actor, IReadOnlyList<Guid> patientIds)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        // A page names at most its own rows' people; more ids than the largest page can hold is not the audit page asking.
        if (patientIds.Count > 2 * AuditLimits.MaxLimit)
        {
            return ChatError.Invalid("patientIds", $"At most {2 * AuditLimits.MaxLimit} patients at once.");
        }

        var names = await patients.NamesAtClinicAsync(ClinicId, [.. patientIds.Distinct()]);
        return names.Select(n => new AuditPatient(n.Key, n.Value)).ToList();
    }

    /// <summary>The log is the clinic's Admins' alone; anyone else learns nothing about it, not even that the clinic exists.</summary>
    private async Task<ChatError?> RefuseAsync(Actor actor) =>
        actor.HasRoleAt(ClinicId, StaffRole.Admin) ? null : await GrainFactory.DenyAsync(actor, ClinicId, null, null, "audit");

    private Task AuditAsync(Actor actor, string action, Guid? patientId, string detail) =>
        writer.AuditAsync(time.GetUtcNow(), new AuditEvent(action, actor.UserId, ClinicId, patientId, null, AuditOutcomes.Success, detail));

    private static string Millis(DateTimeOffset? at) => at?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) ?? "-";

    private static ChatError? FilterProblem(string? actorId, string? action) =>
        actorId?.Length > AuditLimits.MaxFilterLength || action?.Length > AuditLimits.MaxFilterLength
            ? ChatError.Invalid(actorId?.Length > AuditLimits.MaxFilterLength ? "actorId" : "action", $"Filters are at most {AuditLimits.MaxFilterLength} characters.")
            : null;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
