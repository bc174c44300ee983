namespace ClinicChat.Web.Clinics;

public sealed record ClinicSecurityRequest(bool? RequireStaffTotp);

public sealed record ClinicSecurityDto(bool RequireStaffTotp);
