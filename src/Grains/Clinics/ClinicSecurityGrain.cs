using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Clinics;

/// <summary>What the settings were kept in before the clinic_security table; read only, for clinics never changed since.</summary>
public sealed class ClinicSecurityState
{
    public bool RequireStaffTotp { get; set; }
}

/// <summary>
/// A clinic's security settings and the rule of who may change them (its Admins). A change and its audit row are one
/// write unit, so the log never misses a change nor records one that did not happen. Sign-in reads the settings from
/// this activation's memory, loaded once from the table.
/// </summary>
public sealed class ClinicSecurityGrain(
    ClinicSecurityStore store,
    GroupCommitWriter writer,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time,
    [PersistentState("clinicSecurity", ChatStorage.GrainStateProvider)] IPersistentState<ClinicSecurityState> legacy) : Grain, IClinicSecurityGrain
{
    private ClinicSecuritySettings _settings = new(RequireStaffTotp: false);

    private Guid ClinicId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _settings = await store.GetAsync(ClinicId) ?? new ClinicSecuritySettings(legacy.State.RequireStaffTotp);

    public Task<ClinicSecuritySettings> GetAsync() => Task.FromResult(_settings);

    public async Task<Outcome<ClinicSecuritySettings>> ReadAsync(Actor actor) =>
        await RefuseAsync(actor) is { } refused ? refused : _settings;

    /// <summary>
    /// Requiring two-step sign-in applies to each staff member's next sign-in (sessions last at most the absolute
    /// lifetime): a session issued before the change keeps working until then. Every change is audited, even one
    /// that sets what was already set: the Admin asked for it.
    /// </summary>
    public async Task<Outcome<ClinicSecuritySettings>> ChangeAsync(Actor actor, ClinicSecurityChange change)
    {
        if (await RefuseAsync(actor) is { } refused)
        {
            return refused;
        }

        if (change.RequireStaffTotp is not { } require)
        {
            return ChatError.Invalid("requireStaffTotp", "requireStaffTotp (true or false) is required.");
        }

        var settings = new ClinicSecuritySettings(require);
        var now = time.GetUtcNow();
        var changed = new AuditEvent(AuditActions.ClinicSecurityChanged, actor.UserId, ClinicId, null, null, AuditOutcomes.Success,
            require ? "requireStaffTotp=true" : "requireStaffTotp=false");
        await writer.WriteAsync(ClinicSecurityStore.Save(ClinicId, settings, now).Then(AuditLog.Append(now, changed)));
        _settings = settings;
        return settings;
    }

    private async Task<ChatError?> RefuseAsync(Actor actor) =>
        actor.HasRoleAt(ClinicId, StaffRole.Admin) ? null : await GrainFactory.DenyAsync(actor, ClinicId, null, null, "clinic_security");
}
