using ClinicChat.Access;
using ClinicChat.Notices;
using ClinicChat.Onboarding;
using ClinicChat.Web.Api;
using ClinicChat.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

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
        Guid clinicId, Guid patientId, PortalInvitationRequest request, Caller caller, IGrainFactory grains)
    {
        NoticeChannel? channel = request.Channel switch
        {
            "email" => NoticeChannel.Email,
            "sms" => NoticeChannel.Sms,
            _ => null,
        };
        return channel is null
            ? ApiProblems.Validation("channel", "channel is email or sms.")
            : Translate(await grains.For(clinicId, patientId).InviteAsync(caller.Actor, channel.Value));
    }

    private static async Task<Results<Ok<PortalInvitationDto>, ProblemHttpResult>> ResendAsync(Guid clinicId, Guid patientId, Caller caller, IGrainFactory grains) =>
        Translate(await grains.For(clinicId, patientId).ResendAsync(caller.Actor));

    private static async Task<Results<Ok<PortalInvitationDto>, ProblemHttpResult>> CancelAsync(Guid clinicId, Guid patientId, Caller caller, IGrainFactory grains) =>
        Translate(await grains.For(clinicId, patientId).CancelAsync(caller.Actor));

    /// <summary>"Already a member" from this grain means the patient has a portal account: said with the portal's own code.</summary>
    private static Results<Ok<PortalInvitationDto>, ProblemHttpResult> Translate(Outcome<PortalInvitationStatus> outcome) =>
        outcome.Error is { Code: ChatErrorCode.AlreadyMember } error
            ? ApiProblems.Problem(ApiErrors.PortalAccountExists, "The patient has a portal account already.", error.Detail)
            : outcome.ToOk(PortalInvitationDto.From);
}
