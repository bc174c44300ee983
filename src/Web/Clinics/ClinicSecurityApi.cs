using System.Security.Claims;
using ClinicChat.Access;
using ClinicChat.Audit;
using ClinicChat.Clinics;
using ClinicChat.Web.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClinicChat.Web.Clinics;

/// <summary>
/// A clinic's security settings, for that clinic's Admins only (anyone else gets 404, audited as
/// denied, like the audit log). Changes are audited in the clinic's chain.
/// </summary>
public static class ClinicSecurityApi
{
    public static RouteGroupBuilder MapClinicSecurityApi(this RouteGroupBuilder api)
    {
        api.MapGet("/clinics/{clinicId:guid}/security", GetAsync).WithTags("Clinics");
        api.MapPut("/clinics/{clinicId:guid}/security", SetAsync).WithTags("Clinics");
        return api;
    }

    private static async Task<Results<Ok<ClinicSecurityDto>, ProblemHttpResult>> GetAsync(Guid clinicId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await RefuseAsync(user.Actor(), clinicId, grains) is { } refused)
        {
            return refused;
        }

        var settings = await grains.GetGrain<IClinicSecurityGrain>(clinicId).GetAsync();
        return TypedResults.Ok(new ClinicSecurityDto(settings.RequireStaffTotp));
    }

    /// <summary>
    /// Requiring two-step sign-in applies to each staff member's next sign-in (sessions last at most
    /// the absolute lifetime): a session issued before the change keeps working until then.
    /// </summary>
    private static async Task<Results<Ok<ClinicSecurityDto>, ProblemHttpResult>> SetAsync(
        Guid clinicId, ClinicSecurityRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var actor = user.Actor();
        if (await RefuseAsync(actor, clinicId, grains) is { } refused)
        {
            return refused;
        }

        if (request.RequireStaffTotp is not { } require)
        {
            return ApiProblems.Validation("requireStaffTotp", "requireStaffTotp (true or false) is required.");
        }

        var settings = await grains.GetGrain<IClinicSecurityGrain>(clinicId).SetAsync(new ClinicSecuritySettings(require));
        await grains.GetGrain<IAuditGrain>(0).RecordAsync(new AuditEvent(AuditActions.ClinicSecurityChanged, actor.UserId, clinicId, null, null, AuditOutcomes.Success,
            require ? "requireStaffTotp=true" : "requireStaffTotp=false"));
        return TypedResults.Ok(new ClinicSecurityDto(settings.RequireStaffTotp));
    }

    private static async Task<ProblemHttpResult?> RefuseAsync(Actor actor, Guid clinicId, IGrainFactory grains)
    {
        if (actor.HasRoleAt(clinicId, StaffRole.Admin))
        {
            return null;
        }

        await grains.GetGrain<IAuditGrain>(0).RecordAsync(new AuditEvent(AuditActions.AccessDenied, actor.UserId, clinicId, null, null, AuditOutcomes.Denied, "clinic_security"));
        return ApiProblems.From(ChatError.NotFound());
    }
}
