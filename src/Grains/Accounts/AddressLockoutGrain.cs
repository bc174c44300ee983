using Microsoft.Extensions.DependencyInjection;

namespace ClinicChat.Accounts;

/// <summary>Failed sign-ins at an address without an account, persisted so that every web node and a restart see one lock.</summary>
public sealed class AddressLockoutState
{
    public int FailedAttempts { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }
}

/// <summary>
/// See <see cref="IAddressLockoutGrain"/>. Mirrors Identity's own lockout (count failures; at the limit lock for the
/// lockout time and start counting again), so a stranger cannot tell a locked account from a locked unknown address.
/// </summary>
public sealed class AddressLockoutGrain(
    [PersistentState("addressLockout", ChatStorage.GrainStateProvider)] IPersistentState<AddressLockoutState> state,
    [FromKeyedServices(ChatTime.Key)] TimeProvider time) : Grain, IAddressLockoutGrain
{
    public Task<DateTimeOffset?> LockedUntilAsync() =>
        Task.FromResult(state.State.LockedUntil is { } until && until > time.GetUtcNow() ? until : (DateTimeOffset?)null);

    public async Task<DateTimeOffset?> RecordFailureAsync(LockoutRule rule)
    {
        var now = time.GetUtcNow();
        if (state.State.LockedUntil is { } until && until > now)
        {
            return until;
        }

        state.State.FailedAttempts++;
        DateTimeOffset? locked = null;
        if (state.State.FailedAttempts >= rule.MaxFailedAttempts)
        {
            locked = now + rule.LockFor;
            state.State.FailedAttempts = 0;
        }

        state.State.LockedUntil = locked;
        await state.WriteStateAsync();
        return locked;
    }
}
