namespace ClinicChat.Clinics;

/// <summary>A clinic's own security rules, set by its Admins.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ClinicSecuritySettings")]
public sealed record ClinicSecuritySettings([property: Id(0)] bool RequireStaffTotp);

/// <summary>A change an Admin asks for; a missing value is refused (after the caller is known to be allowed).</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ClinicSecurityChange")]
public sealed record ClinicSecurityChange([property: Id(0)] bool? RequireStaffTotp);

/// <summary>
/// A clinic's security settings. Only the clinic's Admins may read or change them through <see cref="ReadAsync"/> and
/// <see cref="ChangeAsync"/>; anyone else is refused as "not found" and the refusal is audited. A change commits with
/// its <c>clinic.security_changed</c> audit row.
/// </summary>
public interface IClinicSecurityGrain : IGrainWithGuidKey
{
    /// <summary>For sign-in, which applies the rules to whoever signs in (no caller to check yet).</summary>
    Task<ClinicSecuritySettings> GetAsync();

    Task<Outcome<ClinicSecuritySettings>> ReadAsync(Actor actor);

    Task<Outcome<ClinicSecuritySettings>> ChangeAsync(Actor actor, ClinicSecurityChange change);
}
