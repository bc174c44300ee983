using ClinicChat.Patients;
using Microsoft.Extensions.Hosting;

namespace ClinicChat.Notices;

/// <summary>
/// Shows a clinic's Admins, in Development only, what the notice outbox holds and how each notice reads. Anyone else,
/// and everyone outside Development, gets the audited not-found that hides whether the clinic exists.
/// </summary>
public sealed class DevelopmentOutboxGrain(ChatDatabase database, IHostEnvironment environment) : Grain, IDevelopmentOutboxGrain
{
    private Guid ClinicId => this.GetPrimaryKey();

    public async Task<Outcome<IReadOnlyList<DevelopmentOutboxEntry>>> ListAsync(Actor actor)
    {
        if (!environment.IsDevelopment() || !actor.HasRoleAt(ClinicId, StaffRole.Admin))
        {
            return await GrainFactory.DenyAsync(actor, ClinicId, null, null, "notices.development_outbox");
        }

        var clinicName = (await GrainFactory.GetGrain<IClinicDirectoryGrain>(ClinicId).GetInfoAsync())?.Name ?? string.Empty;
        var rows = await DevelopmentOutboxStore.LatestAsync(database, ClinicId, IDevelopmentOutboxGrain.Limit);
        return rows.Select(row => DevelopmentOutboxStore.Render(row, clinicName)).ToList();
    }
}
