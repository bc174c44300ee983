using System.Security.Claims;
using ClinicChat.Access;
using ClinicChat.Patients;
using ClinicChat.Web.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClinicChat.Web.Api;

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

    private static async Task<Ok<MeDto>> GetMeAsync(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(await DescribeAsync(user, grains));

    private static async Task<Results<Ok<PreferencesDto>, ProblemHttpResult>> GetPreferencesAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        var actor = user.Actor();
        if (actor.PatientId is not { } patientId)
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, ApiProblems.Forbidden, "Not allowed.", "Communication preferences belong to patients.");
        }

        var outcome = await grains.GetGrain<IPatientProfileGrain>(patientId).GetPreferencesAsync(actor);
        return outcome.Value is { } prefs ? TypedResults.Ok(new PreferencesDto(prefs.ChatOptIn)) : ApiProblems.From(outcome.Error!);
    }

    private static async Task<Results<Ok<PreferencesDto>, ProblemHttpResult>> SetPreferencesAsync(
        UpdatePreferencesRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var actor = user.Actor();
        if (actor.PatientId is not { } patientId)
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, ApiProblems.Forbidden, "Not allowed.", "Communication preferences belong to patients.");
        }

        if (request.ChatOptIn is not { } optIn)
        {
            return ApiProblems.Validation("chatOptIn", "chatOptIn (true or false) is required.");
        }

        var outcome = await grains.GetGrain<IPatientProfileGrain>(patientId).SetChatOptInAsync(actor, optIn);
        return outcome.Value is { } prefs ? TypedResults.Ok(new PreferencesDto(prefs.ChatOptIn)) : ApiProblems.From(outcome.Error!);
    }

    /// <summary>The signed-in caller, with what this session in particular may do.</summary>
    public static async Task<MeDto> DescribeAsync(ClaimsPrincipal user, IGrainFactory grains) =>
        await DescribeAsync(user.Actor(), grains) with { TotpEnrolmentRequired = user.HasClaim(c => c.Type == ChatClaims.TotpEnrolmentRequired) };

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

    /// <summary>The signed-in caller. Only used behind RequireAuthorization, where a ClinicChat principal is guaranteed.</summary>
    public static Actor Actor(this ClaimsPrincipal user) =>
        user.ToActor() ?? throw new InvalidOperationException("An authenticated request without ClinicChat claims.");
}
