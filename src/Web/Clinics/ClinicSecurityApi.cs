using ClinicChat.Clinics;

namespace ClinicChat.Web.Clinics;

/// <summary>
/// A clinic's security settings over HTTP. Who may read and change them (the clinic's Admins; anyone else gets 404,
/// audited as denied) and the audit row of a change are the <see cref="IClinicSecurityGrain"/>'s.
/// </summary>
public static class ClinicSecurityApi
{
    public static RouteGroupBuilder MapClinicSecurityApi(this RouteGroupBuilder api)
    {
        api.MapGet("/clinics/{clinicId:guid}/security", GetAsync).WithTags("Clinics");
        api.MapPut("/clinics/{clinicId:guid}/security", SetAsync).WithTags("Clinics");
        return api;
    }

    private static async Task<Results<Ok<ClinicSecurityDto>, ProblemHttpResult>> GetAsync(Guid clinicId, Caller caller, IGrainFactory grains) =>
        (await grains.GetGrain<IClinicSecurityGrain>(clinicId).ReadAsync(caller.Actor)).ToOk(ClinicSecurityDto.From);

    /// <summary>Requiring two-step sign-in applies to each staff member's next sign-in (see <see cref="IClinicSecurityGrain.ChangeAsync"/>).</summary>
    private static async Task<Results<Ok<ClinicSecurityDto>, ProblemHttpResult>> SetAsync(
        Guid clinicId, ClinicSecurityRequest request, Caller caller, IGrainFactory grains) =>
        (await grains.GetGrain<IClinicSecurityGrain>(clinicId).ChangeAsync(caller.Actor, new ClinicSecurityChange(request.RequireStaffTotp))).ToOk(ClinicSecurityDto.From);
}
