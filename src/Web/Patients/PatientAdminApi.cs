using ClinicChat.Patients;
using ClinicChat.Web.Notices;

namespace ClinicChat.Web.Patients;

/// <summary>
/// Staff add and edit a clinic's patients. The endpoints read and normalise the input (<see cref="PatientInput"/>);
/// who may, duplicates and the audit rows are the <see cref="IClinicPatientsGrain"/>'s.
/// </summary>
public static class PatientAdminApi
{
    public static RouteGroupBuilder MapPatientAdminApi(this RouteGroupBuilder api)
    {
        // Writes share the send budget (per user and address); reads fall under the global read limit.
        api.MapPost("/clinics/{clinicId:guid}/patients", AddAsync).WithTags("Patients").RequireRateLimiting(RateLimits.Send);
        api.MapGet("/clinics/{clinicId:guid}/patients/{patientId:guid}", GetAsync).WithTags("Patients");
        api.MapPut("/clinics/{clinicId:guid}/patients/{patientId:guid}", UpdateAsync).WithTags("Patients").RequireRateLimiting(RateLimits.Send);
        api.MapPost("/clinics/{clinicId:guid}/patients/{patientId:guid}/sms-consent", RecordSmsConsentAsync).WithTags("Patients").RequireRateLimiting(RateLimits.Send);
        return api;
    }

    /// <summary>Adds a patient to the clinic; 409 <c>duplicate_patient</c> with <c>existingPatientId</c> when the clinic has them already.</summary>
    private static async Task<Results<Created<PatientFileDto>, ProblemHttpResult>> AddAsync(
        Guid clinicId, PatientRequest request, Caller caller, IGrainFactory grains, PhoneRegions regions,
        [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    {
        var (details, invalid) = PatientInput.Read(request, time.GetUtcNow(), await regions.ForCallerAsync(caller.Actor, clinicId));
        if (details is null)
        {
            return ApiProblems.Validation(invalid);
        }

        var added = await grains.GetGrain<IClinicPatientsGrain>(clinicId).AddAsync(caller.Actor, details, request.SmsConsent == true);
        return added.Error is { } error
            ? ApiProblems.From(error)
            : TypedResults.Created($"/api/v1/clinics/{clinicId}/patients/{added.Value!.Id}", PatientFileDto.From(added.Value));
    }

    private static async Task<Results<Ok<PatientFileDto>, ProblemHttpResult>> GetAsync(Guid clinicId, Guid patientId, Caller caller, IGrainFactory grains) =>
        (await grains.GetGrain<IClinicPatientsGrain>(clinicId).GetAsync(caller.Actor, patientId)).ToOk(PatientFileDto.From);

    /// <summary>Replaces the patient's details; their portal account, threads and preferences stay.</summary>
    private static async Task<Results<Ok<PatientFileDto>, ProblemHttpResult>> UpdateAsync(
        Guid clinicId, Guid patientId, PatientRequest request, Caller caller, IGrainFactory grains, PhoneRegions regions,
        [FromKeyedServices(ChatTime.Key)] TimeProvider time)
    {
        var (details, invalid) = PatientInput.Read(request, time.GetUtcNow(), await regions.ForCallerAsync(caller.Actor, clinicId));
        if (details is null)
        {
            return ApiProblems.Validation(invalid);
        }

        return (await grains.GetGrain<IClinicPatientsGrain>(clinicId).UpdateAsync(caller.Actor, patientId, details, request.SmsConsent == true))
            .ToOk(PatientFileDto.From);
    }

    /// <summary>Records that the patient agreed to SMS at their mobile number on file (needed before an SMS invitation).</summary>
    private static async Task<Results<Ok<PatientFileDto>, ProblemHttpResult>> RecordSmsConsentAsync(Guid clinicId, Guid patientId, Caller caller, IGrainFactory grains) =>
        (await grains.GetGrain<IClinicPatientsGrain>(clinicId).RecordSmsConsentAsync(caller.Actor, patientId)).ToOk(PatientFileDto.From);
}
