using ClinicChat.Clinics;
using ClinicChat.Onboarding;
using ClinicChat.Sessions;
using ClinicChat.Web.Notices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClinicChat.Web.Onboarding;

/// <summary>
/// What an operator does to clinics, through the grains of the running cluster (so nothing a grain
/// keeps in memory goes stale) and Identity's tables. Used by the <c>operator</c> command.
/// </summary>
public sealed class ClinicOperations(IGrainFactory grains, IdentityDb identity, IOptions<OnboardingOptions> options)
{
    public async Task<Outcome<(ClinicAccount Clinic, IssuedInvitation Invitation)>> CreateClinicAsync(
        string name, string timeZone, string adminEmail, string adminName, string operatorId, string? country = null)
    {
        // Checked before the clinic exists, so a mistyped email does not leave a clinic without an Admin.
        if (InvitationProblem(adminEmail, adminName) is { } invalid)
        {
            return invalid;
        }

        var region = country is null ? null : PhoneRegions.KnownCode(country);
        if (country is not null && region is null)
        {
            return ChatError.Invalid("country", $"'{country}' is not a country the numbering plans know: give its two-letter code, such as GB or US.");
        }

        var clinicId = Guid.NewGuid();
        var created = await grains.GetGrain<IClinicAccountGrain>(clinicId).CreateAsync(name, timeZone, operatorId);
        if (created.Error is { } error)
        {
            return error;
        }

        if (region is not null)
        {
            await grains.GetGrain<IClinicProfileGrain>(clinicId).SetCountryAsync(region, operatorId);
        }

        var invited = await InviteAsync(clinicId, adminEmail, adminName, InviteeRole.Admin, operatorId);
        return invited.Error is { } refused ? refused : (created.Value!, invited.Value!);
    }

    public Task<Outcome<IssuedInvitation>> InviteAsync(Guid? clinicId, string email, string displayName, InviteeRole role, string invitedBy) =>
        grains.GetGrain<IInvitationGrain>(Guid.NewGuid())
            .IssueAsync(new InvitationRequest(clinicId, email.Trim(), displayName.Trim(), role, invitedBy, options.Value.InvitationLifetime));

    public Task<IReadOnlyList<ClinicAccount>> ListClinicsAsync() => grains.GetGrain<IClinicListGrain>(0).ListAsync();

    /// <summary>
    /// Disabling also ends every session of the clinic's staff at once (push connections included);
    /// their next sign-in is refused, or (staff of another clinic as well) carries that clinic's role only.
    /// </summary>
    public async Task<Outcome<(ClinicAccount Clinic, int SessionsEnded)>> SetEnabledAsync(Guid clinicId, bool enabled, string operatorId)
    {
        var changed = await grains.GetGrain<IClinicAccountGrain>(clinicId).SetEnabledAsync(enabled, operatorId);
        if (changed.Error is { } error)
        {
            return error;
        }

        var ended = 0;
        if (!enabled)
        {
            foreach (var userId in await StaffOfAsync(clinicId))
            {
                await grains.GetGrain<IUserSessionsGrain>(userId).EndAllAsync();
                ended++;
            }
        }

        return (changed.Value!, ended);
    }

    private async Task<List<string>> StaffOfAsync(Guid clinicId)
    {
        var prefix = $"{clinicId:D}:";
        return await identity.UserClaims
            .Where(c => c.ClaimType == ChatClaims.Membership && c.ClaimValue!.StartsWith(prefix))
            .Select(c => c.UserId).Distinct().ToListAsync();
    }

    private static ChatError? InvitationProblem(string email, string name) =>
        !EmailAddresses.IsPlain(email.Trim())
            ? ChatError.Invalid("email", "The Admin's email must be a plain address (name@example.org).")
            : string.IsNullOrWhiteSpace(name) ? ChatError.Invalid("name", "The Admin's name is required.") : null;
}
