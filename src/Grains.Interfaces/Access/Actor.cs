namespace ClinicChat.Access;

/// <summary>Staff roles. Each role is held at one clinic (see <see cref="ClinicMembership"/>).</summary>
public enum StaffRole
{
    Clinician = 0,
    FrontDesk = 1,
    Billing = 2,
    Admin = 3,
}

[GenerateSerializer, Immutable, Alias("ClinicChat.ClinicMembership")]
public sealed record ClinicMembership([property: Id(0)] Guid ClinicId, [property: Id(1)] StaffRole Role);

public enum ActorKind
{
    Staff = 0,
    Patient = 1,
}

/// <summary>
/// Who is calling, as established by the web node from the authentication cookie. Grains never take
/// identity from request bodies: every grain call that touches patient data receives the actor and
/// decides on its own whether it may proceed.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.Actor")]
public sealed record Actor(
    [property: Id(0)] string UserId,
    [property: Id(1)] ActorKind Kind,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] Guid? PatientId,
    [property: Id(4)] IReadOnlyList<ClinicMembership> Memberships,
    [property: Id(5)] DateTimeOffset? SensitiveUnlockedUntil = null)
{
    /// <summary>
    /// Staff of the thread's clinic always see sensitive content; a patient only inside the short
    /// window a re-authentication opened in this session (the time comes from the auth cookie).
    /// </summary>
    public bool MaySeeSensitive(DateTimeOffset now) => Kind == ActorKind.Staff || SensitiveUnlockedUntil > now;

    public bool HasRoleAt(Guid clinicId, StaffRole role) =>
        Kind == ActorKind.Staff && Memberships.Any(m => m.ClinicId == clinicId && m.Role == role);

    /// <summary>Chat with patients is for clinicians and front desk of that clinic only.</summary>
    public bool CanChatAt(Guid clinicId) =>
        HasRoleAt(clinicId, StaffRole.Clinician) || HasRoleAt(clinicId, StaffRole.FrontDesk);

    public IEnumerable<Guid> ChatClinics =>
        Kind == ActorKind.Staff
            ? Memberships.Where(m => m.Role is StaffRole.Clinician or StaffRole.FrontDesk).Select(m => m.ClinicId).Distinct()
            : [];

    public bool IsPatient(Guid patientId) => Kind == ActorKind.Patient && PatientId == patientId;
}
