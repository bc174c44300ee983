using ClinicChat.Access;
using ClinicChat.Audit;
using ClinicChat.Patients;
using ClinicChat.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Clinics;

/// <summary>
/// A clinic's profile, loaded once per activation: every change goes through this grain, so memory is never stale.
/// Its staff (any role) read it; its Admins change it, each change with its audit row in one write unit.
/// </summary>
public sealed class ClinicProfileGrain(ClinicProfileStore store, GroupCommitWriter writer, [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    : Grain, IClinicProfileGrain
{
    private ClinicProfile _profile = new(string.Empty, null);

    private Guid ClinicId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var info = await GrainFactory.GetGrain<IClinicDirectoryGrain>(ClinicId).GetInfoAsync();
        _profile = new ClinicProfile(info?.Name ?? string.Empty, await store.GetPhoneAsync(ClinicId));
    }

    public Task<ClinicProfile> GetAsync() => Task.FromResult(_profile);

    public async Task<Outcome<ClinicProfile>> ReadAsync(Actor actor) =>
        actor.Kind == ActorKind.Staff && actor.IsOf(ClinicId) ? _profile : await GrainFactory.DenyAsync(actor, ClinicId, null, null, "clinic_profile");

    public async Task<Outcome<ClinicProfile>> ChangeAsync(Actor actor, ClinicProfileChange change)
    {
        if (!actor.HasRoleAt(ClinicId, StaffRole.Admin))
        {
            return await GrainFactory.DenyAsync(actor, ClinicId, null, null, "clinic_profile",
                actor.IsOf(ClinicId) ? new ChatError(ChatErrorCode.Forbidden, "Only the clinic's Admins change its profile.") : null);
        }

        var phone = string.IsNullOrWhiteSpace(change.Phone) ? null : change.Phone.Trim();
        if (phone is { Length: > ClinicProfileRules.MaxPhoneLength } || (phone is not null && !TextInput.IsWellFormed(phone)))
        {
            return ChatError.Invalid("phone", $"The phone number must be at most {ClinicProfileRules.MaxPhoneLength} characters.");
        }

        var now = time.GetUtcNow();
        await writer.WriteAsync(ClinicProfileStore.SavePhone(ClinicId, phone, now).Then(AuditLog.Append(now, new AuditEvent(
            AuditActions.ClinicProfileChanged, actor.UserId, ClinicId, null, null, AuditOutcomes.Success, phone is null ? "phone=cleared" : "phone=set"))));
        _profile = _profile with { Phone = phone };
        return _profile;
    }
}
