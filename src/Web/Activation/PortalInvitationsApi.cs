using ClinicChat.Notices;
using ClinicChat.Onboarding;
using Microsoft.AspNetCore.Identity;

namespace ClinicChat.Web.Activation;

/// <summary>
/// Staff invite a patient to the portal, resend or cancel the link, and see where it stands. Who may (chat staff and
/// Admins of the clinic; Billing 403; anyone else 404) and every rule about where a link may go are the grain's.
/// </summary>
public static class PortalInvitationsApi
{
    public static RouteGroupBuilder MapPortalInvitationsApi(this RouteGroupBuilder api)
    {
        var invitations = api.MapGroup("/clinics/{clinicId:guid}/patients/{patientId:guid}/invitations").WithTags("Portal invitations");
        invitations.MapGet("/", GetAsync);
        // Each sends an email or a text: counted like other notices a person asks for.
        invitations.MapPost("/", InviteAsync).RequireRateLimiting(RateLimits.Notices);
        invitations.MapPost("/resend", ResendAsync).RequireRateLimiting(RateLimits.Notices);
        invitations.MapPost("/cancel", CancelAsync).RequireRateLimiting(RateLimits.Send);
        return api;
    }

    private static async Task<Results<Ok<PortalInvitationStatusDto>, ProblemHttpResult>> GetAsync(Guid clinicId, Guid patientId, Caller caller, IGrainFactory grains) =>
        (await grains.For(clinicId, patientId).GetOverviewAsync(caller.Actor)).ToOk(PortalInvitationStatusDto.From);

    private static async Task<Results<Ok<PortalInvitationDto>, ProblemHttpResult>> InviteAsync(
        Guid clinicId, Guid patientId, PortalInvitationRequest request, Caller caller, IGrainFactory grains, UserManager<ClinicChatUser> users)
    {
        NoticeChannel? channel = request.Channel switch
        {
            "email" => NoticeChannel.Email,
            "sms" => NoticeChannel.Sms,
            _ => null,
        };
        if (channel is null)
        {
            return ApiProblems.Validation("channel", "channel is email or sms.");
        }

        var invitations = grains.For(clinicId, patientId);
        var (accountPatientId, refused) = await AccountAtEmailAsync(invitations, caller.Actor, users, channel);
        return refused ?? Translate(await invitations.InviteAsync(caller.Actor, channel.Value, accountPatientId));
    }

    private static async Task<Results<Ok<PortalInvitationDto>, ProblemHttpResult>> ResendAsync(
        Guid clinicId, Guid patientId, Caller caller, IGrainFactory grains, UserManager<ClinicChatUser> users)
    {
        var invitations = grains.For(clinicId, patientId);
        var (accountPatientId, refused) = await AccountAtEmailAsync(invitations, caller.Actor, users, channel: null);
        return refused ?? Translate(await invitations.ResendAsync(caller.Actor, accountPatientId));
    }

    /// <summary>
    /// Who already signs in with the email address an invitation by email would go to (Identity is this tier's, so the
    /// grain is told): a portal account's patient, whom the grain holds to the same-person rule of activation; a staff
    /// account, refused here. Either would otherwise be found only by the patient, at activation, as a link that cannot work.
    /// </summary>
    /// <param name="channel">The new invitation's channel; null for a resend (the latest invitation's).</param>
    private static async Task<(Guid? PatientId, ProblemHttpResult? Refused)> AccountAtEmailAsync(
        IPatientPortalInvitationsGrain invitations, Actor actor, UserManager<ClinicChatUser> users, NoticeChannel? channel)
    {
        // A refusal (not found, Billing) is left to the call that follows, which gives the same one.
        var overview = (await invitations.GetOverviewAsync(actor)).Value;
        if ((channel ?? overview?.Latest?.Channel) != NoticeChannel.Email || overview?.Email is not { } email || await users.FindByEmailAsync(email) is not { } user)
        {
            return (null, null);
        }

        return await NewAccounts.PatientOfAsync(users, user) is { } patientId
            ? (patientId, null)
            : (null, ApiProblems.Problem(ApiErrors.InvitationAccountMismatch, "That email address belongs to a staff account.",
                "A portal account needs an email address of its own: record another one for the patient, or invite them by SMS.", "channel"));
    }

    private static async Task<Results<Ok<PortalInvitationDto>, ProblemHttpResult>> CancelAsync(Guid clinicId, Guid patientId, Caller caller, IGrainFactory grains) =>
        Translate(await grains.For(clinicId, patientId).CancelAsync(caller.Actor));

    /// <summary>"Already a member" from this grain means the patient has a portal account: said with the portal's own code.</summary>
    private static Results<Ok<PortalInvitationDto>, ProblemHttpResult> Translate(Outcome<PortalInvitationStatus> outcome) =>
        outcome.Error is { Code: ChatErrorCode.AlreadyMember } error
            ? ApiProblems.Problem(ApiErrors.PortalAccountExists, "The patient has a portal account already.", error.Detail)
            : outcome.ToOk(PortalInvitationDto.From);
}
