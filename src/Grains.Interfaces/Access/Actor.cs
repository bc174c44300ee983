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

    /// <summary>A clinic system (the EHR) signed in with SMART Backend Services; see <see cref="IntegrationGrant"/>.</summary>
    Integration = 2,
}

/// <summary>What an integration's access token grants: one clinic, and the SMART scopes the token was issued with.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.IntegrationGrant")]
public sealed record IntegrationGrant([property: Id(0)] string ClientId, [property: Id(1)] Guid ClinicId, [property: Id(2)] IReadOnlyList<string> Scopes)
{
    /// <summary>Integrations act under their own actor ids in the audit log, never a person's.</summary>
    public static string ActorIdOf(string clientId) => "integration:" + clientId;

    public bool Allows(Guid clinicId, string scope) => ClinicId == clinicId && Scopes.Contains(scope, StringComparer.Ordinal);
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
    [property: Id(5)] DateTimeOffset? SensitiveUnlockedUntil = null,
    [property: Id(6)] IntegrationGrant? Integration = null)
{
    /// <summary>An EHR integration of one clinic, acting within its token's scopes.</summary>
    public static Actor ForIntegration(IntegrationGrant grant, string name) =>
        new(IntegrationGrant.ActorIdOf(grant.ClientId), ActorKind.Integration, name, null, [], null, grant);

    /// <summary>
    /// Staff of the thread's clinic always see sensitive content; a patient only inside the short
    /// window a re-authentication opened in this session (the time comes from the auth cookie).
    /// </summary>
    public bool MaySeeSensitive(DateTimeOffset now) => Kind == ActorKind.Staff || SensitiveUnlockedUntil > now;

    public bool HasRoleAt(Guid clinicId, StaffRole role) =>
        Kind == ActorKind.Staff && Memberships.Any(m => m.ClinicId == clinicId && m.Role == role);

    /// <summary>The roles that chat with patients (in every thread of their clinic): clinicians and front desk.</summary>
    public static bool ChatsWithPatients(StaffRole role) => role is StaffRole.Clinician or StaffRole.FrontDesk;

    /// <summary>Chat with patients is for clinicians and front desk of that clinic only.</summary>
    public bool CanChatAt(Guid clinicId) =>
        Kind == ActorKind.Staff && Memberships.Any(m => m.ClinicId == clinicId && ChatsWithPatients(m.Role));

    public IEnumerable<Guid> ChatClinics =>
        Kind == ActorKind.Staff
            ? Memberships.Where(m => ChatsWithPatients(m.Role)).Select(m => m.ClinicId).Distinct()
            : [];

    /// <summary>
    /// Writes FHIR resources of <paramref name="resourceType"/> into the clinic: its Admins, and integrations whose token
    /// carries <c>system/{type}.write</c> for that clinic.
    /// </summary>
    public bool MayWriteFhir(Guid clinicId, string resourceType) =>
        HasRoleAt(clinicId, StaffRole.Admin) || (Kind == ActorKind.Integration && Integration?.Allows(clinicId, $"system/{resourceType}.write") == true);

    /// <summary>A FHIR read of the clinic's resources of a type: its Admins, or its integration with <c>system/{type}.read</c>.</summary>
    public bool MayReadFhir(Guid clinicId, string resourceType) =>
        HasRoleAt(clinicId, StaffRole.Admin) || (Kind == ActorKind.Integration && Integration?.Allows(clinicId, $"system/{resourceType}.read") == true);

    /// <summary>Belongs to the clinic at all (as staff or as its integration): a refusal may then say why rather than 404.</summary>
    public bool IsOf(Guid clinicId) => Memberships.Any(m => m.ClinicId == clinicId) || Integration?.ClinicId == clinicId;

    public bool IsPatient(Guid patientId) => Kind == ActorKind.Patient && PatientId == patientId;
}
