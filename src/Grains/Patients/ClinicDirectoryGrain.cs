using ClinicChat.Clinics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace ClinicChat.Patients;

[StatelessWorker]
public sealed class ClinicDirectoryGrain(PatientStore patients, GroupCommitWriter writer, [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IClinicDirectoryGrain
{
    public const int MaxResults = 50;

    private Guid ClinicId => this.GetPrimaryKey();

    public async Task<Outcome<IReadOnlyList<PatientSummary>>> SearchPatientsAsync(Actor actor, string query, int limit)
    {
        if (!actor.CanChatAt(ClinicId))
        {
            // Billing and Admin of this clinic are told why; anyone else learns nothing about the
            // clinic, not even that it exists.
            return actor.Memberships.Any(m => m.ClinicId == ClinicId)
                ? new ChatError(ChatErrorCode.Forbidden, "Patient search is for clinicians and front desk of this clinic.")
                : ChatError.NotFound();
        }

        if (query.Length > NameSearch.MaxQueryLength)
        {
            return ChatError.Invalid("query", $"query must be at most {NameSearch.MaxQueryLength} characters.");
        }

        if (!TextInput.IsWellFormed(query))
        {
            return ChatError.Invalid("query", "query contains characters no name has.");
        }

        if (limit is < 1 or > MaxResults)
        {
            return ChatError.Invalid("limit", $"limit must be between 1 and {MaxResults}.");
        }

        var results = await patients.SearchAsync(ClinicId, query, limit);
        // Names and numbers are patient data: who looked, where, and how much they saw (never the query).
        var searched = new AuditEvent(AuditActions.PatientsSearched, actor.UserId, ClinicId, null, null, AuditOutcomes.Success, $"results={results.Count}");
        var now = time.GetUtcNow();
        await writer.AuditAsync(now, searched);
        // A mobile number is only useful (and only shown) where chat is impossible and SMS is offered.
        return results.Select(p => p.HasPortalAccount ? p with { MobileNumber = null } : p).ToList();
    }

    public Task<ClinicInfo?> GetInfoAsync() => patients.GetClinicAsync(ClinicId);

    public Task RegisterAsync(string name)
    {
        var clinic = new ClinicInfo(ClinicId, name);
        return writer.WriteAsync(PatientStore.UpsertClinic(clinic));
    }
}
