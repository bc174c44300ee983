using ClinicChat.Staff;
using ClinicChat.Web.Conversations;

namespace ClinicChat.Web.Staff;

/// <summary>
/// A clinic's staff administration over HTTP. Who may (the clinic's Admins; its other staff 403, anyone else 404, both
/// audited), the last-Admin rule, the audit rows and ending a changed member's sessions are the
/// <see cref="IClinicStaffGrain"/>'s. Changes are rate-limited like sends: an Admin setting up a team makes a few dozen,
/// a script inviting addresses it harvested makes thousands (each invitation is an email).
/// </summary>
public static class StaffApi
{
    public static RouteGroupBuilder MapStaffApi(this RouteGroupBuilder api)
    {
        var staff = api.MapGroup("/clinics/{clinicId:guid}/staff").WithTags("Staff");
        staff.MapGet("", ListAsync);
        staff.MapPost("/invitations", InviteAsync).RequireRateLimiting(RateLimits.Send);
        staff.MapPost("/invitations/{invitationId:guid}/resend", ResendAsync).RequireRateLimiting(RateLimits.Send);
        staff.MapDelete("/invitations/{invitationId:guid}", RevokeAsync).RequireRateLimiting(RateLimits.Send);
        staff.MapPut("/{userId:guid}/role", ChangeRoleAsync).RequireRateLimiting(RateLimits.Send);
        staff.MapPost("/{userId:guid}/deactivate", DeactivateAsync).RequireRateLimiting(RateLimits.Send);
        staff.MapPost("/{userId:guid}/reactivate", ReactivateAsync).RequireRateLimiting(RateLimits.Send);
        staff.MapPost("/{userId:guid}/two-step/reset", TwoStepResetApi.ResetAsync).RequireRateLimiting(RateLimits.Send);
        api.MapGet("/clinics/{clinicId:guid}/colleagues", ListColleaguesAsync).WithTags("Staff");
        return api;
    }

    /// <summary>The clinic's clinicians and front desk (whom a thread can be assigned to), for those who chat there themselves.</summary>
    private static async Task<Results<Ok<List<ColleagueDto>>, ProblemHttpResult>> ListColleaguesAsync(Guid clinicId, Caller caller, IGrainFactory grains) =>
        (await Staff(grains, clinicId).ListColleaguesAsync(caller.Actor)).ToOk(colleagues =>
            colleagues.Select(c => new ColleagueDto(c.UserId, c.DisplayName, [.. c.Roles.Select(r => r.ToString())])).ToList());

    private static async Task<Results<Ok<StaffRosterDto>, ProblemHttpResult>> ListAsync(
        Guid clinicId, Caller caller, IGrainFactory grains, [FromKeyedServices(ChatTime.Key)] TimeProvider time) =>
        (await Staff(grains, clinicId).ListAsync(caller.Actor)).ToOk(roster => StaffRosterDto.From(roster, time.GetUtcNow()));

    /// <summary>Sends a 7-day invitation link by email; the link's token is never in the answer (only the invitee's mailbox has it).</summary>
    private static async Task<Results<Created<StaffInvitationDto>, ProblemHttpResult>> InviteAsync(
        Guid clinicId, InviteStaffRequest request, Caller caller, IGrainFactory grains, [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    {
        var invited = await Staff(grains, clinicId).InviteAsync(caller.Actor,
            new StaffInvitationRequest(request.Email?.Trim() ?? string.Empty, request.DisplayName?.Trim() ?? string.Empty, StaffRoleNames.Parse(request.Role)));
        return invited.Error is { } error ? ApiProblems.From(error) : TypedResults.Created((string?)null, StaffInvitationDto.From(invited.Value!, time.GetUtcNow()));
    }

    private static async Task<Results<Ok<StaffInvitationDto>, ProblemHttpResult>> ResendAsync(
        Guid clinicId, Guid invitationId, Caller caller, IGrainFactory grains, [FromKeyedServices(ChatTime.Key)] TimeProvider time) =>
        (await Staff(grains, clinicId).ResendAsync(caller.Actor, invitationId)).ToOk(i => StaffInvitationDto.From(i, time.GetUtcNow()));

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(Guid clinicId, Guid invitationId, Caller caller, IGrainFactory grains) =>
        (await Staff(grains, clinicId).RevokeAsync(caller.Actor, invitationId)).Error is { } error ? ApiProblems.From(error) : TypedResults.NoContent();

    /// <summary>The member holds exactly this role afterwards, and every session of theirs ends: they sign in again with it.</summary>
    private static async Task<Results<Ok<StaffMemberDto>, ProblemHttpResult>> ChangeRoleAsync(
        Guid clinicId, Guid userId, ChangeStaffRoleRequest request, Caller caller, IGrainFactory grains) =>
        (await Staff(grains, clinicId).ChangeRoleAsync(caller.Actor, userId.ToString(), StaffRoleNames.Parse(request.Role))).ToOk(StaffMemberDto.From);

    /// <summary>The membership ends and every session and push connection of the member with it; what they wrote stays.</summary>
    private static async Task<Results<Ok<StaffMemberDto>, ProblemHttpResult>> DeactivateAsync(Guid clinicId, Guid userId, Caller caller, IGrainFactory grains) =>
        (await Staff(grains, clinicId).DeactivateAsync(caller.Actor, userId.ToString())).ToOk(StaffMemberDto.From);

    private static async Task<Results<Ok<StaffMemberDto>, ProblemHttpResult>> ReactivateAsync(Guid clinicId, Guid userId, Caller caller, IGrainFactory grains) =>
        (await Staff(grains, clinicId).ReactivateAsync(caller.Actor, userId.ToString())).ToOk(StaffMemberDto.From);

    private static IClinicStaffGrain Staff(IGrainFactory grains, Guid clinicId) => grains.GetGrain<IClinicStaffGrain>(clinicId);
}
