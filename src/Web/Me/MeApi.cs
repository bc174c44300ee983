using System.Security.Claims;
using ClinicChat.Conversations;
using ClinicChat.Patients;

namespace ClinicChat.Web.Me;

public static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this RouteGroupBuilder api)
    {
        var me = api.MapGroup("/me").WithTags("Me");
        me.MapGet("/", GetMeAsync).AllowDuringTotpEnrolment();
        me.MapGet("/preferences", GetPreferencesAsync);
        me.MapPut("/preferences", SetPreferencesAsync);
        me.MapPut("/chat/{clinicId:guid}", SetClinicChatAsync).RequireRateLimiting(RateLimits.Send);
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

        return await PreferencesAsync(await grains.GetGrain<IPatientProfileGrain>(patientId).GetPreferencesAsync(actor), grains);
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

        return await PreferencesAsync(await grains.GetGrain<IPatientProfileGrain>(patientId).SetChatOptInAsync(actor, optIn), grains);
    }

    /// <summary>Chat with one clinic on or off; another clinic's id (not the patient's) answers 404. Audited <c>chat.opt_in_changed</c>.</summary>
    private static async Task<Results<Ok<PreferencesDto>, ProblemHttpResult>> SetClinicChatAsync(
        Guid clinicId, ClinicChatRequest request, Caller caller, IGrainFactory grains)
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

        return await PreferencesAsync(await grains.GetGrain<IPatientProfileGrain>(patientId).SetClinicChatOptInAsync(actor, clinicId, optIn), grains);
    }

    private static async Task<Results<Ok<PreferencesDto>, ProblemHttpResult>> PreferencesAsync(Outcome<PatientPreferences> outcome, IGrainFactory grains)
    {
        if (outcome.Value is not { } preferences)
        {
            return ApiProblems.From(outcome.Error!);
        }

        List<ClinicChatDto> clinics = [];
        foreach (var choice in preferences.Clinics)
        {
            var clinic = await grains.GetGrain<IClinicDirectoryGrain>(choice.ClinicId).GetInfoAsync();
            clinics.Add(new ClinicChatDto(choice.ClinicId, clinic?.Name ?? string.Empty, choice.OptIn));
        }

        return TypedResults.Ok(new PreferencesDto(preferences.ChatOptIn, [.. clinics.OrderBy(c => c.ClinicName, StringComparer.CurrentCultureIgnoreCase).ThenBy(c => c.ClinicId)]));
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
            [.. actor.ChatClinics], actor.SensitiveUnlockedUntil, BillingClinicIds: [.. actor.BillingOnlyClinics()]);
    }
}
