using System.Security.Claims;
using ClinicChat.Patients;
using ClinicChat.Web.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ClinicChat.Web.Api;

public static class PatientsApi
{
    public static RouteGroupBuilder MapPatientsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/patients", SearchAsync).WithTags("Patients").RequireRateLimiting(RateLimits.Search);
        return api;
    }

    /// <summary>Searches the clinic's patients by name (prefix of any word, case- and accent-insensitive).</summary>
    private static async Task<Results<Ok<IReadOnlyList<PatientDto>>, ProblemHttpResult>> SearchAsync(
        ClaimsPrincipal user, IGrainFactory grains, string? query, Guid? clinicId, int? limit)
    {
        var actor = user.Actor();
        var chatClinics = actor.ChatClinics.ToList();
        if (chatClinics.Count == 0)
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, ApiProblems.Forbidden, "Not allowed.", "Patient search is for clinicians and front desk.");
        }

        var clinic = clinicId ?? chatClinics[0];
        var outcome = await grains.GetGrain<IClinicDirectoryGrain>(clinic).SearchPatientsAsync(actor, query ?? string.Empty, limit ?? 20);
        return outcome.Value is { } patients
            ? TypedResults.Ok<IReadOnlyList<PatientDto>>(patients.Select(PatientDto.From).ToList())
            : ApiProblems.From(outcome.Error!);
    }
}
