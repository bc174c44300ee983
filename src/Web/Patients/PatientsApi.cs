using ClinicChat.Patients;

namespace ClinicChat.Web.Patients;

public static class PatientsApi
{
    public static RouteGroupBuilder MapPatientsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/patients", SearchAsync).WithTags("Patients").RequireRateLimiting(RateLimits.Search);
        return api.MapPatientAdminApi();
    }

    /// <summary>Searches the clinic's patients by name (prefix of any word, case- and accent-insensitive).</summary>
    private static async Task<Results<Ok<IReadOnlyList<PatientDto>>, ProblemHttpResult>> SearchAsync(
        Caller caller, IGrainFactory grains, string? query, Guid? clinicId, int? limit)
    {
        var actor = caller.Actor;
        var chatClinics = actor.ChatClinics.ToList();
        if (chatClinics.Count == 0)
        {
            return ApiProblems.Problem(ApiErrors.Forbidden, "Not allowed.", "Patient search is for clinicians and front desk.");
        }

        var clinic = clinicId ?? chatClinics[0];
        var outcome = await grains.GetGrain<IClinicDirectoryGrain>(clinic).SearchPatientsAsync(actor, query ?? string.Empty, limit ?? 20);
        return outcome.ToOk<IReadOnlyList<PatientSummary>, IReadOnlyList<PatientDto>>(patients => patients.Select(PatientDto.From).ToList());
    }
}
