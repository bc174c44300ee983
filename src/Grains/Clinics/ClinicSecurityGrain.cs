using ClinicChat.Storage;

namespace ClinicChat.Clinics;

public sealed class ClinicSecurityState
{
    public bool RequireStaffTotp { get; set; }
}

public sealed class ClinicSecurityGrain(
    [PersistentState("clinicSecurity", ChatStorage.GrainStateProvider)] IPersistentState<ClinicSecurityState> state) : Grain, IClinicSecurityGrain
{
    public Task<ClinicSecuritySettings> GetAsync() => Task.FromResult(new ClinicSecuritySettings(state.State.RequireStaffTotp));

    public async Task<ClinicSecuritySettings> SetAsync(ClinicSecuritySettings settings)
    {
        if (state.State.RequireStaffTotp != settings.RequireStaffTotp)
        {
            state.State.RequireStaffTotp = settings.RequireStaffTotp;
            await state.WriteStateAsync();
        }

        return settings;
    }
}
