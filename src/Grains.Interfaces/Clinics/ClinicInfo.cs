namespace ClinicChat.Clinics;

[GenerateSerializer, Immutable, Alias("ClinicChat.ClinicInfo")]
public sealed record ClinicInfo([property: Id(0)] Guid Id, [property: Id(1)] string Name);
