using ClinicChat.Conversations;

namespace ClinicChat.Clinics;

/// <summary>
/// What a clinic tells its patients about itself, set by its Admins: the phone quick replies quote, its office hours, and
/// the topics its patients may start a conversation about in the portal (none: patients answer, they do not start).
/// </summary>
/// <param name="Country">
/// The country its phone numbers are in (ISO 3166 alpha-2, "GB"): a number typed without + is read as one of it. Null: the
/// deployment's default region.
/// </param>
[GenerateSerializer, Immutable, Alias("ClinicChat.ClinicProfile")]
public sealed record ClinicProfile(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Phone,
    [property: Id(2)] OfficeHours Hours,
    [property: Id(3)] IReadOnlyList<ThreadTopic>? PatientTopics = null,
    [property: Id(4)] string? Country = null)
{
    public IReadOnlyList<ThreadTopic> StartTopics => PatientTopics ?? [];
}

/// <summary>An Admin's change: the phone as the web tier normalised it (null or empty clears it).</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ClinicProfileChange")]
public sealed record ClinicProfileChange([property: Id(0)] string? Phone);

/// <summary>
/// A clinic's profile. Its staff read it through <see cref="ReadAsync"/>; its Admins change it through
/// <see cref="ChangeAsync"/> (committed with its <c>clinic.profile_changed</c> audit row); anyone else is refused as
/// "not found", audited. <see cref="GetAsync"/> is for other grains (quick replies fill in the phone; a conversation asks
/// whether the clinic is closed when a patient writes).
/// </summary>
[Alias("ClinicChat.Clinics.IClinicProfileGrain")]
public interface IClinicProfileGrain : IGrainWithGuidKey
{
    Task<ClinicProfile> GetAsync();

    Task<Outcome<ClinicProfile>> ReadAsync(Actor actor);

    Task<Outcome<ClinicProfile>> ChangeAsync(Actor actor, ClinicProfileChange change);

    /// <summary>
    /// Admins only: the country the clinic's phone numbers are in, as the web tier checked it against the numbering plans
    /// it knows (null: the deployment's default region).
    /// </summary>
    Task<Outcome<ClinicProfile>> ChangeCountryAsync(Actor actor, string? country);

    /// <summary>The operator's choice when creating the clinic (no Admin exists yet); audited under the operator's id.</summary>
    Task SetCountryAsync(string country, string operatorId);

    /// <summary>Admins only: the topics the clinic's patients may start conversations about (none: they may not start).</summary>
    Task<Outcome<ClinicProfile>> ChangePatientTopicsAsync(Actor actor, IReadOnlyList<ThreadTopic> topics);

    /// <summary>The hours as of now: for the clinic's staff and its patients (another clinic's patient finds nothing).</summary>
    Task<Outcome<OfficeHoursNow>> ReadOfficeHoursAsync(Actor actor);

    /// <summary>Admins only; the time zone becomes the clinic's (its notices' quiet hours use it too).</summary>
    Task<Outcome<OfficeHours>> ChangeOfficeHoursAsync(Actor actor, OfficeHours hours);
}

public static class ClinicProfileRules
{
    /// <summary>An ISO 3166 alpha-2 code in capitals, the form libphonenumber names regions by ("GB", "US").</summary>
    public static bool IsCountryCode(string? country) => country is { Length: 2 } && char.IsAsciiLetterUpper(country[0]) && char.IsAsciiLetterUpper(country[1]);

    /// <summary>Long enough for any international number with an extension.</summary>
    public const int MaxPhoneLength = 40;
    public const int MaxOpeningsPerDay = 3;
    public const int MaxClosures = 60;
    public const int MaxClosureDays = 366;

    /// <summary>
    /// How many years before or after today a closure may lie. Further is a mistyped year (a date picker turns a
    /// half-typed 2026 into 0020 or 0202), never a plan, and a closure there would never close the clinic.
    /// </summary>
    public const int MaxClosureYearsFromToday = 10;

    public const int MaxClosureLabelLength = 80;
    public const int MaxAfterHoursReplyLength = 1000;
    public const int MaxEmergencyNoteLength = 300;
    public const int MinReplyTargetMinutes = 15;

    /// <summary>A working week of office time.</summary>
    public const int MaxReplyTargetMinutes = 5 * 24 * 60;
}
