using ClinicChat.Clinics;

namespace ClinicChat.Web.Clinics;

public sealed record ClinicSecurityRequest(bool? RequireStaffTotp);

public sealed record ClinicSecurityDto(bool RequireStaffTotp)
{
    public static ClinicSecurityDto From(ClinicSecuritySettings settings) => new(settings.RequireStaffTotp);
}
