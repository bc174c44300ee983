using System.Security.Claims;
using ClinicChat.Access;
using ClinicChat.Patients;
using ClinicChat.Web.Api;
using ClinicChat.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClinicChat.Web.Me;

public static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Me");
        me.MapGet("/", GetMeAsync).AllowDuringTotpEnrolment();
        me.MapGet("/preferences", GetPreferencesAsync);
        me.MapPut("/preferences", SetPreferencesAsync);
        return api;
    }

    private static async Task<Ok<MeDto>> GetMeAsync(Caller caller, IGrainFactory grains) =>
        TypedResults.Ok(await DescribeAsync(caller.Actor, caller.Principal, grains));

    private static async Task<Results<Ok<PreferencesDto>, ProblemHttpResult>> GetPreferencesAsync(Caller caller, IGrainFactory grains)
    {
        var actor = caller.Actor;
        if (actor.PatientId is not { } patientId)
        {
            return ApiProblems.Problem(ApiErrors.Forbidden, "Not allowed.", "Communication preferences belong to patients.");
        }

        var outcome = await grains.GetGrain<IPatientProfileGrain>(patientId).GetPreferencesAsync(actor);
        return outcome.ToOk(prefs => new PreferencesDto(prefs.ChatOptIn));
    }

    private static async Task<Results<Ok<PreferencesDto>, ProblemHttpResult>> SetPreferencesAsync(
        UpdatePreferencesRequest request, Caller caller, IGrainFactory grains)
    {
        var actor = caller.Actor;
        if (actor.PatientId is not { } patientId)
        {
            return ApiProblems.Problem(ApiErrors.Forbidden, "Not allowed.", "Communication preferences belong to patients.");
        }

        if (request.ChatOptIn is not { } optIn)
        {
            return ApiProblems.Validation("chatOptIn", "chatOptIn (true or false) is required.");
        }

        var outcome = await grains.GetGrain<IPatientProfileGrain>(patientId).SetChatOptInAsync(actor, optIn);
        return outcome.ToOk(prefs => new PreferencesDto(prefs.ChatOptIn));
    }

    /// <summary>The signed-in caller, with what this session in particular may do.</summary>
    public static async Task<MeDto> DescribeAsync(Actor actor, ClaimsPrincipal user, IGrainFactory grains) =>
        await DescribeAsync(actor, grains) with { TotpEnrolmentRequired = user.HasClaim(c => c.Type == ChatClaims.TotpEnrolmentRequired) };

    public static async Task<MeDto> DescribeAsync(Actor actor, IGrainFactory grains)
    {
        var memberships = new List<MembershipDto>();
        foreach (var membership in actor.Memberships)
        {
            var clinic = await grains.GetGrain<IClinicDirectoryGrain>(membership.ClinicId).GetInfoAsync();
            memberships.Add(new MembershipDto(membership.ClinicId, clinic?.Name ?? string.Empty, membership.Role.ToString()));
        }

        return new MeDto(actor.UserId, actor.Kind == ActorKind.Patient ? ChatClaims.PatientKind : ChatClaims.StaffKind, actor.DisplayName, actor.PatientId, memberships,
            [.. actor.ChatClinics], actor.SensitiveUnlockedUntil);
    }
}
