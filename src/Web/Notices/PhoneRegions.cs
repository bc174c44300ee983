using System.Globalization;
using ClinicChat.Clinics;
using ClinicChat.Patients;
using PhoneNumbers;

namespace ClinicChat.Web.Notices;

/// <summary>A country whose numbers the numbering plans know, as an Admin chooses it: "United Kingdom (+44)".</summary>
public sealed record CountryDto(string Code, string Name, int CallingCode);

/// <summary>
/// The region a number typed without + is read in: the clinic's country where the operator or its Admins chose one, else
/// the deployment's <c>ClinicChat:Sms:DefaultRegion</c> (found on a walk: a London clinic on a deployment reading numbers
/// as US ones could not save its own phone, 020 7946 0000, nor a patient's 07911 123456, without typing +44).
/// </summary>
public sealed class PhoneRegions(IGrainFactory grains, IConfiguration configuration)
{
    /// <summary>Every region libphonenumber knows, by English name: what an Admin may choose.</summary>
    public static IReadOnlyList<CountryDto> Countries { get; } =
        [.. PhoneNumberUtil.GetInstance().GetSupportedRegions()
            .Select(code => new CountryDto(code, MobileNumbers.EnglishNameOf(code), PhoneNumberUtil.GetInstance().GetCountryCodeForRegion(code)))
            .OrderBy(country => country.Name, StringComparer.Create(CultureInfo.InvariantCulture, CompareOptions.IgnoreNonSpace))];

    private static readonly HashSet<string> Known = [.. Countries.Select(c => c.Code)];

    public string Default => MobileNumbers.DefaultRegion(configuration);

    /// <summary>"gb" → "GB"; null for anything the numbering plans do not know.</summary>
    public static string? KnownCode(string? typed) =>
        typed?.Trim().ToUpperInvariant() is { Length: 2 } code && Known.Contains(code) ? code : null;

    public async Task<string> OfClinicAsync(Guid clinicId) => (await grains.GetGrain<IClinicProfileGrain>(clinicId).GetAsync()).Country ?? Default;

    /// <summary>
    /// The clinic's region for a caller of that clinic; anyone else is answered in the deployment's, before the grain
    /// refuses them: a refusal of their input must not tell them where another clinic is.
    /// </summary>
    public Task<string> ForCallerAsync(Actor actor, Guid clinicId) =>
        actor.IsOf(clinicId) ? OfClinicAsync(clinicId) : Task.FromResult(Default);

    /// <summary>
    /// A patient's own number (their Communication preferences): the country of their clinics where they are all in one,
    /// else the deployment's (a number abroad needs its + either way).
    /// </summary>
    public async Task<string> OfPatientAsync(Guid patientId)
    {
        var clinics = await grains.GetGrain<IPatientProfileGrain>(patientId).GetClinicIdsAsync();
        var regions = (await Task.WhenAll(clinics.Distinct().Select(OfClinicAsync))).Distinct().ToList();
        return regions.Count == 1 ? regions[0] : Default;
    }
}
