using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace ClinicChat.Onboarding;

public sealed class ClinicAccountGrain(OnboardingStore store, GroupCommitWriter writer, [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    : Grain, IClinicAccountGrain
{
    private ClinicAccount? _clinic;

    private Guid ClinicId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => _clinic = await store.GetClinicAsync(ClinicId);

    public Task<ClinicAccount?> GetAsync() => Task.FromResult(_clinic);

    /// <summary>A clinic without a row (a staff claim naming a clinic that was never created) has nothing to disable.</summary>
    public Task<bool> IsEnabledAsync() => Task.FromResult(_clinic?.IsEnabled ?? true);

    public async Task<Outcome<ClinicAccount>> CreateAsync(string name, string timeZone, string operatorId)
    {
        if (ClinicAccountRules.NameProblem(name) is { } badName)
        {
            return ChatError.Invalid("name", badName);
        }

        if (ClinicAccountRules.TimeZoneProblem(timeZone) is { } badZone)
        {
            return ChatError.Invalid("timeZone", badZone);
        }

        if (_clinic is not null)
        {
            return ChatError.Invalid("clinicId", "A clinic with this id exists already.");
        }

        // A patient of two clinics sees both in one Inbox, and staff of two pick between them by name: two of one name could
        // not be told apart. Checked against the list (an operator creates a clinic now and then; two operators creating the
        // same name in the same second could both pass, and either clinic can be disabled).
        if ((await store.ListClinicsAsync()).FirstOrDefault(c => string.Equals(c.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)) is { } namesake)
        {
            return ChatError.Invalid("name", $"A clinic named '{namesake.Name}' exists already ({namesake.Id}). Give this one a name that tells them apart, such as its town.");
        }

        var now = time.GetUtcNow();
        var clinic = new ClinicAccount(ClinicId, name.Trim(), timeZone, now, null);
        var created = new AuditEvent(AuditActions.ClinicCreated, operatorId, ClinicId, null, null, AuditOutcomes.Success, $"time_zone={timeZone}");
        await writer.WriteAsync(OnboardingStore.CreateClinic(clinic).Then(AuditLog.Append(now, created)));
        _clinic = clinic;
        return clinic;
    }

    public async Task<Outcome<ClinicAccount>> SetEnabledAsync(bool enabled, string operatorId)
    {
        if (_clinic is not { } clinic)
        {
            return ChatError.NotFound();
        }

        if (clinic.IsEnabled == enabled)
        {
            return clinic;
        }

        var now = time.GetUtcNow();
        var changed = clinic with { DisabledAt = enabled ? null : now };
        var action = enabled ? AuditActions.ClinicEnabled : AuditActions.ClinicDisabled;
        await writer.WriteAsync(OnboardingStore.SetDisabled(ClinicId, changed.DisabledAt)
            .Then(AuditLog.Append(now, new AuditEvent(action, operatorId, ClinicId, null, null, AuditOutcomes.Success))));
        _clinic = changed;
        return changed;
    }
}

[StatelessWorker]
public sealed class ClinicListGrain(OnboardingStore store) : Grain, IClinicListGrain
{
    public Task<IReadOnlyList<ClinicAccount>> ListAsync() => store.ListClinicsAsync();
}
