namespace ClinicChat.Clinics;

/// <summary>A clinic's own security rules, set by its Admins.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ClinicSecuritySettings")]
public sealed record ClinicSecuritySettings([property: Id(0)] bool RequireStaffTotp);

/// <summary>
/// A clinic's security settings. Who may change them is decided by the web tier (the clinic's
/// Admins) before calling; the grain only keeps them.
/// </summary>
public interface IClinicSecurityGrain : IGrainWithGuidKey
{
    Task<ClinicSecuritySettings> GetAsync();

    Task<ClinicSecuritySettings> SetAsync(ClinicSecuritySettings settings);
}
