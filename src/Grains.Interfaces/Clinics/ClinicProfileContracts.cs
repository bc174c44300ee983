using ClinicChat.Access;

namespace ClinicChat.Clinics;

/// <summary>What a clinic tells its patients about itself, set by its Admins: for now the phone number quick replies quote.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ClinicProfile")]
public sealed record ClinicProfile([property: Id(0)] string Name, [property: Id(1)] string? Phone);

/// <summary>An Admin's change: the phone as the web tier normalised it (null or empty clears it).</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ClinicProfileChange")]
public sealed record ClinicProfileChange([property: Id(0)] string? Phone);

/// <summary>
/// A clinic's profile. Its staff read it through <see cref="ReadAsync"/>; its Admins change it through
/// <see cref="ChangeAsync"/> (committed with its <c>clinic.profile_changed</c> audit row); anyone else is refused as
/// "not found", audited. <see cref="GetAsync"/> is for other grains (quick replies fill in the phone).
/// </summary>
[Alias("ClinicChat.Clinics.IClinicProfileGrain")]
public interface IClinicProfileGrain : IGrainWithGuidKey
{
    Task<ClinicProfile> GetAsync();

    Task<Outcome<ClinicProfile>> ReadAsync(Actor actor);

    Task<Outcome<ClinicProfile>> ChangeAsync(Actor actor, ClinicProfileChange change);
}

public static class ClinicProfileRules
{
    /// <summary>Long enough for any international number with an extension.</summary>
    public const int MaxPhoneLength = 40;
}
