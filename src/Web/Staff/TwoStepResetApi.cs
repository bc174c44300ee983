using ClinicChat.Sessions;
using ClinicChat.Staff;

namespace ClinicChat.Web.Staff;

/// <summary>
/// An Admin turns off a member's two-step sign-in: the member lost their phone and their recovery codes, and nothing
/// else would ever let them in again. Who may is the <see cref="IClinicStaffGrain"/>'s rule (the clinic's Admins, for an
/// active member other than themselves); the account is Identity's, so the reset is done here.
/// </summary>
/// <remarks>
/// Nothing is learnt or gained by it beyond what an Admin can do already: no code, key or password is shown, and the
/// member still signs in with their own password. Every session of the member ends; where a clinic of theirs requires
/// two-step sign-in they set it up again at their next sign-in. The reset is in the audit chain of every clinic where
/// the member holds a role, so that the Admins of a second clinic see another clinic's Admin did it, and the member is
/// told by email (a reset they did not ask for must not go unseen).
/// </remarks>
public static class TwoStepResetApi
{
    public static async Task<Results<NoContent, ProblemHttpResult>> ResetAsync(
        Guid clinicId, Guid userId, Caller caller, IGrainFactory grains, ClinicChatSignInManager signIn)
    {
        var allowed = await grains.GetGrain<IClinicStaffGrain>(clinicId).MayResetTwoStepAsync(caller.Actor, userId.ToString());
        if (allowed.Error is { } refused)
        {
            return ApiProblems.From(refused);
        }

        var users = signIn.UserManager;
        if (await users.FindByIdAsync(userId.ToString()) is not { } user)
        {
            return ApiProblems.From(ChatError.NotFound());
        }

        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            return ApiProblems.Problem(ApiErrors.TotpNotSetUp, "Two-step sign-in is off.", $"{allowed.Value!.DisplayName} has no two-step sign-in to reset.");
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        // A new key (never shown): the lost phone's codes stop working even if two-step sign-in is turned on again.
        await users.ResetAuthenticatorKeyAsync(user);
        await grains.GetGrain<IUserSessionsGrain>(user.Id).EndAllAsync();

        var memberClinics = (await signIn.CreateUserPrincipalAsync(user)).ToActor()?.Memberships.Select(m => m.ClinicId).Distinct().ToList() ?? [clinicId];
        await grains.GetGrain<IClinicStaffGrain>(clinicId).RecordTwoStepResetAsync(caller.Actor, allowed.Value!, memberClinics);
        return TypedResults.NoContent();
    }
}
