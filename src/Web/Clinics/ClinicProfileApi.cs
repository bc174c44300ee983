using ClinicChat.Clinics;
using ClinicChat.Conversations;
using ClinicChat.Web.Notices;
using PhoneNumbers;

namespace ClinicChat.Web.Clinics;

/// <param name="PatientTopics">What the clinic's patients may start a conversation about in the portal (appointments, billing, careTeam); empty: they may not start one.</param>
public sealed record ClinicProfileDto(string Name, string? Phone, IReadOnlyList<string> PatientTopics)
{
    public static ClinicProfileDto From(ClinicProfile profile) => new(profile.Name, profile.Phone, [.. profile.StartTopics.Select(ThreadTopics.WireName)]);
}

/// <summary>An Admin's choice of topics patients may start a conversation about (all at once; empty: patients may not start one).</summary>
public sealed record PatientTopicsRequest(IReadOnlyList<string>? Topics);

/// <summary>An Admin's change: the clinic's phone as they type it (empty or null clears it).</summary>
public sealed record ClinicProfileRequest(string? Phone);

/// <summary>
/// A clinic's profile over HTTP. The phone number is checked and formatted here, with the same numbering plans as
/// patients' mobile numbers; who may read and change the profile, and its audit row, are the <see cref="IClinicProfileGrain"/>'s.
/// </summary>
public static class ClinicProfileApi
{
    public static RouteGroupBuilder MapClinicProfileApi(this RouteGroupBuilder api)
    {
        api.MapGet("/clinics/{clinicId:guid}/profile", GetAsync).WithTags("Clinics");
        api.MapPut("/clinics/{clinicId:guid}/profile", SetAsync).WithTags("Clinics").RequireRateLimiting(RateLimits.Send);
        api.MapPut("/clinics/{clinicId:guid}/patient-topics", SetPatientTopicsAsync).WithTags("Clinics").RequireRateLimiting(RateLimits.Send);
        return api;
    }

    private static async Task<Results<Ok<ClinicProfileDto>, ProblemHttpResult>> GetAsync(Guid clinicId, Caller caller, IGrainFactory grains) =>
        (await grains.GetGrain<IClinicProfileGrain>(clinicId).ReadAsync(caller.Actor)).ToOk(ClinicProfileDto.From);

    private static async Task<Results<Ok<ClinicProfileDto>, ProblemHttpResult>> SetAsync(
        Guid clinicId, ClinicProfileRequest request, Caller caller, IGrainFactory grains, IConfiguration configuration)
    {
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(request.Phone))
        {
            phone = Format(request.Phone, MobileNumbers.DefaultRegion(configuration));
            if (phone is null)
            {
                return ApiProblems.Validation("phone", "That is not a phone number: type it as patients dial it, e.g. (201) 555-0123 or +44 20 7946 0000.");
            }
        }

        return (await grains.GetGrain<IClinicProfileGrain>(clinicId).ChangeAsync(caller.Actor, new ClinicProfileChange(phone))).ToOk(ClinicProfileDto.From);
    }

    /// <summary>The clinic's Admins choose what patients may start conversations about; who may and the audit row are the grain's.</summary>
    private static async Task<Results<Ok<ClinicProfileDto>, ProblemHttpResult>> SetPatientTopicsAsync(
        Guid clinicId, PatientTopicsRequest request, Caller caller, IGrainFactory grains)
    {
        var topics = new List<ThreadTopic>();
        foreach (var name in request.Topics ?? [])
        {
            if (!ThreadTopics.TryParse(name, allowNone: false, out var topic))
            {
                return ApiProblems.Validation("topics", "Each topic is appointments, billing or careTeam.");
            }

            topics.Add(topic);
        }

        return (await grains.GetGrain<IClinicProfileGrain>(clinicId).ChangePatientTopicsAsync(caller.Actor, topics)).ToOk(ClinicProfileDto.From);
    }

    /// <summary>A valid number of any kind (a landline is what most clinics give), written as patients of the clinic's region dial it.</summary>
    private static string? Format(string input, string region)
    {
        if (input.Length > ClinicProfileRules.MaxPhoneLength)
        {
            return null;
        }

        var numbers = PhoneNumberUtil.GetInstance();
        try
        {
            var number = numbers.Parse(input, region);
            if (!numbers.IsValidNumber(number))
            {
                return null;
            }

            return numbers.Format(number, numbers.GetRegionCodeForNumber(number) == region ? PhoneNumberFormat.NATIONAL : PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
