namespace ClinicChat.Web.Me;

public sealed record MembershipDto(Guid ClinicId, string ClinicName, string Role);

/// <summary>
/// <c>ChatClinicIds</c>: the clinics where the caller may chat with patients, by the rule the server enforces
/// (clients show Chat from this, never from roles of their own reading).
/// <c>SensitiveUntil</c>: when this session's window for sensitive messages closes (patients; null when closed).
/// <c>TotpEnrolmentRequired</c>: this session may only set up two-step sign-in (the clinic requires it).
/// <c>BillingClinicIds</c>: the clinics where the caller (Billing staff there) takes part in the conversations about billing only.
/// </summary>
public sealed record MeDto(
    string UserId, string Kind, string DisplayName, Guid? PatientId, IReadOnlyList<MembershipDto> Memberships, IReadOnlyList<Guid> ChatClinicIds,
    DateTimeOffset? SensitiveUntil = null, bool TotpEnrolmentRequired = false, IReadOnlyList<Guid>? BillingClinicIds = null);

/// <summary><c>ChatOptIn</c>: chat is on with every clinic; <c>Clinics</c>: clinic by clinic (the patient may chat with one and not another).</summary>
public sealed record PreferencesDto(bool ChatOptIn, IReadOnlyList<ClinicChatDto> Clinics);

public sealed record ClinicChatDto(Guid ClinicId, string ClinicName, bool ChatOptIn);

/// <summary>Chat on or off with every clinic at once.</summary>
public sealed record UpdatePreferencesRequest(bool? ChatOptIn);

/// <summary>Chat on or off with one clinic (<c>PUT /me/chat/{clinicId}</c>).</summary>
public sealed record ClinicChatRequest(bool? ChatOptIn);
