using ClinicChat.Clinics;

namespace ClinicChat.Patients;

/// <param name="BirthDate">With <paramref name="Mrn"/> (this clinic's, where set), what tells two people of one name apart.</param>
[GenerateSerializer, Immutable, Alias("ClinicChat.PatientSummary")]
public sealed record PatientSummary(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] bool HasPortalAccount,
    [property: Id(3)] bool ChatOptIn,
    [property: Id(4)] string? MobileNumber,
    [property: Id(5)] bool HasConversation = false,
    [property: Id(6)] string? Hint = null,
    [property: Id(7)] DateOnly? BirthDate = null,
    [property: Id(8)] string? Mrn = null);

/// <summary>Whether a clinic can chat with a patient right now, and if not, why.</summary>
public enum ChatEligibility
{
    Eligible = 0,
    NoPortalAccount = 1,
    OptedOut = 2,

    /// <summary>No portal account yet, but a pending portal invitation: staff may prepare the thread; nothing is pushed or noticed to the patient.</summary>
    Invited = 3,
}

[GenerateSerializer, Immutable, Alias("ClinicChat.PatientRegistration")]
public sealed record PatientRegistration(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string? MobileNumber,
    [property: Id(3)] string? Email,
    [property: Id(4)] string? PortalUserId,
    [property: Id(5)] bool ChatOptIn,
    [property: Id(6)] IReadOnlyList<Guid> ClinicIds);

/// <param name="ChatOptIn">On at every one of the patient's clinics (what the one "every clinic" switch shows).</param>
/// <param name="Clinics">Chat opt-in clinic by clinic (issue 20).</param>
[GenerateSerializer, Immutable, Alias("ClinicChat.PatientPreferences")]
public sealed record PatientPreferences([property: Id(0)] bool ChatOptIn, [property: Id(1)] IReadOnlyList<ClinicChatChoice> Clinics);

/// <summary>Whether the patient chats with one clinic.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ClinicChatChoice")]
public sealed record ClinicChatChoice([property: Id(0)] Guid ClinicId, [property: Id(1)] bool OptIn);

/// <summary>A patient: directory entry, portal account link and communication preferences.</summary>
public interface IPatientProfileGrain : IGrainWithGuidKey
{
    /// <summary>Used by the conversation grain before it delivers anything to the patient: opt-in is per clinic.</summary>
    Task<ChatEligibility> GetChatEligibilityAsync(Guid clinicId);

    Task<bool> IsPatientOfAsync(Guid clinicId);

    Task<IReadOnlyList<Guid>> GetClinicIdsAsync();

    Task<Outcome<PatientPreferences>> GetPreferencesAsync(Actor actor);

    /// <summary>Chat on or off at every clinic of the patient (earlier per-clinic choices give way).</summary>
    Task<Outcome<PatientPreferences>> SetChatOptInAsync(Actor actor, bool optIn);

    /// <summary>Reads the patient's row again after portal activation or linking changed it (a portal account, a clinic).</summary>
    Task ReloadAsync();
    /// <summary>Chat on or off with one clinic; a clinic the patient does not belong to answers not found.</summary>
    Task<Outcome<PatientPreferences>> SetClinicChatOptInAsync(Actor actor, Guid clinicId, bool optIn);

    /// <summary>Creates or replaces the patient's directory entry (demo seeding today, practice-system sync later).</summary>
    Task RegisterAsync(PatientRegistration registration);
}

/// <summary>
/// Clinic-scoped read side of the patient directory: fast name search for staff, clinic details.
/// A stateless worker: each silo runs it locally, so searches never funnel through one activation.
/// </summary>
public interface IClinicDirectoryGrain : IGrainWithGuidKey
{
    Task<Outcome<IReadOnlyList<PatientSummary>>> SearchPatientsAsync(Actor actor, string query, int limit);

    Task<ClinicInfo?> GetInfoAsync();

    Task RegisterAsync(string name);
}
