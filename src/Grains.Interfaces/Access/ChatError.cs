namespace ClinicChat.Access;

/// <summary>Why a command or query was refused. The web layer maps each code to an HTTP status.</summary>
public enum ChatErrorCode
{
    /// <summary>Unknown, or not visible to the caller: the two are deliberately indistinguishable.</summary>
    NotFound = 0,
    Validation = 1,
    PatientHasNoPortalAccount = 2,
    PatientOptedOut = 3,
    Forbidden = 4,

    /// <summary>A transient conflict: the same request, retried, will succeed.</summary>
    RetryLater = 5,

    /// <summary>Sensitive content a patient may open only after verifying it is them.</summary>
    SensitiveLocked = 6,

    /// <summary>A notice channel needs a verified email address or mobile number first.</summary>
    ContactNotVerified = 7,

    /// <summary>The clinic has this patient already (same MRN, or same name and date of birth): <see cref="ChatError.RelatedId"/> names them.</summary>
    DuplicatePatient = 8,

    /// <summary>The change would leave a clinic without an Admin.</summary>
    LastAdmin = 9,

    /// <summary>The person is a member of (or invited to) the clinic already.</summary>
    AlreadyMember = 10,

    /// <summary>An SMS to a patient needs the patient's SMS consent recorded by staff first.</summary>
    SmsConsentRequired = 11,

    /// <summary>The record was withdrawn by the clinic's system (entered in error) and cannot be sent.</summary>
    RecordWithdrawn = 12,

    /// <summary>The resource is not at the version the caller named (FHIR <c>If-Match</c>): someone changed it since it was read.</summary>
    VersionConflict = 13,

    /// <summary>The thread is assigned otherwise than the caller saw (a colleague took it a moment ago); nothing changed.</summary>
    AssignmentChanged = 14,

    /// <summary>A message can no longer be withdrawn: its recall window passed, or the patient has read it.</summary>
    RecallClosed = 15,

    /// <summary>A quick reply with this shortcut exists already in the same list (the clinic's, or the caller's own).</summary>
    ShortcutTaken = 16,

    /// <summary>
    /// The address signs in to another person's portal account (a second record at the same clinic, or another date of
    /// birth): a portal invitation there could never be activated, since two people's records are never merged.
    /// </summary>
    AccountOfAnother = 17,
}

[GenerateSerializer, Immutable, Alias("ClinicChat.ChatError")]
public sealed record ChatError(
    [property: Id(0)] ChatErrorCode Code,
    [property: Id(1)] string Detail,
    [property: Id(2)] string? Field = null,
    [property: Id(3)] Guid? RelatedId = null)
{
    public static ChatError NotFound() => new(ChatErrorCode.NotFound, "Not found.");

    public static ChatError Invalid(string field, string detail) => new(ChatErrorCode.Validation, detail, field);
}

/// <summary>
/// The outcome of a grain command: a value or an error. Refusals are ordinary results rather than
/// exceptions so that they cross the wire cheaply and are never mistaken for faults.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.Outcome`1")]
public sealed record Outcome<T>([property: Id(0)] T? Value, [property: Id(1)] ChatError? Error)
{
    public bool Succeeded => Error is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(ChatError error) => new(default, error);
}
