using ClinicChat.Clinics;
using ClinicChat.Conversations;
using ClinicChat.Web.Notices;
using PhoneNumbers;

namespace ClinicChat.Web.Clinics;

/// <param name="PatientTopics">What the clinic's patients may start a conversation about in the portal (appointments, billing, careTeam); empty: they may not start one.</param>
/// <param name="Country">The country its phone numbers are in (ISO 3166 alpha-2, "GB"); null: the deployment's default.</param>
/// <param name="NumbersReadAs">What a number typed without + is read as, in words: "United Kingdom (+44)".</param>
public sealed record ClinicProfileDto(string Name, string? Phone, IReadOnlyList<string> PatientTopics, string? Country, string NumbersReadAs)
{
    public static ClinicProfileDto From(ClinicProfile profile, PhoneRegions regions) =>
        new(profile.Name, profile.Phone, [.. profile.StartTopics.Select(ThreadTopics.WireName)], profile.Country, MobileNumbers.CountryOf(profile.Country ?? regions.Default));
}

/// <summary>An Admin's choice of the country the clinic's phone numbers are in ("GB"); null or empty: the deployment's default.</summary>
public sealed record ClinicCountryRequest(string? Country);

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
        api.MapPut("/clinics/{clinicId:guid}/country", SetCountryAsync).WithTags("Clinics").RequireRateLimiting(RateLimits.Send);
        api.MapGet("/countries", () => TypedResults.Ok(PhoneRegions.Countries)).WithTags("Clinics");
        return api;
    }

    private static async Task<Results<Ok<ClinicProfileDto>, ProblemHttpResult>> GetAsync(Guid clinicId, Caller caller, IGrainFactory grains, PhoneRegions regions) =>
        (await grains.GetGrain<IClinicProfileGrain>(clinicId).ReadAsync(caller.Actor)).ToOk(profile => ClinicProfileDto.From(profile, regions));

    /// <summary>The country numbers without + are read in, checked against the numbering plans; who may and the audit row are the grain's.</summary>
    private static async Task<Results<Ok<ClinicProfileDto>, ProblemHttpResult>> SetCountryAsync(
        Guid clinicId, ClinicCountryRequest request, Caller caller, IGrainFactory grains, PhoneRegions regions)
    {
        string? country = null;
        if (!string.IsNullOrWhiteSpace(request.Country) && (country = PhoneRegions.KnownCode(request.Country)) is null)
        {
            return ApiProblems.Validation("country", "Choose a country from the list (a two-letter code such as GB or US).");
        }

        return (await grains.GetGrain<IClinicProfileGrain>(clinicId).ChangeCountryAsync(caller.Actor, country)).ToOk(profile => ClinicProfileDto.From(profile, regions));
    }

    private static async Task<Results<Ok<ClinicProfileDto>, ProblemHttpResult>> SetAsync(
        Guid clinicId, ClinicProfileRequest request, Caller caller, IGrainFactory grains, PhoneRegions regions)
    {
        string? phone = null;
        if (!string.IsNullOrWhiteSpace(request.Phone))
        {
            phone = Format(request.Phone, await regions.ForCallerAsync(caller.Actor, clinicId));
            if (phone is null)
            {
                return ApiProblems.Validation("phone", "That is not a phone number: type it as patients dial it, e.g. (201) 555-0123 or +44 20 7946 0000.");
            }
        }

        return (await grains.GetGrain<IClinicProfileGrain>(clinicId).ChangeAsync(caller.Actor, new ClinicProfileChange(phone))).ToOk(profile => ClinicProfileDto.From(profile, regions));
    }

    /// <summary>The clinic's Admins choose what patients may start conversations about; who may and the audit row are the grain's.</summary>
    private static async Task<Results<Ok<ClinicProfileDto>, ProblemHttpResult>> SetPatientTopicsAsync(
        Guid clinicId, PatientTopicsRequest request, Caller caller, IGrainFactory grains, PhoneRegions regions)
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

        return (await grains.GetGrain<IClinicProfileGrain>(clinicId).ChangePatientTopicsAsync(caller.Actor, topics)).ToOk(profile => ClinicProfileDto.From(profile, regions));
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
