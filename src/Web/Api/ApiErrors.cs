namespace ClinicChat.Web.Api;

/// <summary>
/// Every <c>code</c> a ProblemDetails from this app carries, with the one HTTP status it is answered with. Clients
/// switch on the code, so a code is never renamed and never reused for another status; a new refusal is added here first.
/// </summary>
public static class ApiErrors
{
    // Requests the API cannot read or will not take.
    public const string MalformedRequest = "malformed_request";
    public const string ValidationFailed = "validation_failed";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string RequestTooLarge = "request_too_large";

    // Who may ask: the front door (origin, host, CSRF header, rate) and the caller's rights.
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string HostNotAllowed = "host_not_allowed";
    public const string CsrfHeaderMissing = "csrf_header_missing";
    public const string CrossOriginRefused = "cross_origin_refused";
    public const string RateLimited = "rate_limited";
    public const string TooManyConnections = "too_many_connections";

    /// <summary>A provider's webhook (Twilio's) without a valid signature: nothing is read or changed.</summary>
    public const string WebhookSignatureInvalid = "webhook_signature_invalid";

    // Sign-in, re-authentication and two-step sign-in.
    public const string InvalidCredentials = "invalid_credentials";
    public const string AccountLocked = "account_locked";
    public const string PasswordRejected = "password_rejected";
    public const string SensitiveLocked = "sensitive_locked";

    /// <summary>A notice channel (email, SMS) needs a verified address or number first.</summary>
    public const string ContactNotVerified = "contact_not_verified";
    public const string TotpEnrolmentRequired = "totp_enrolment_required";
    public const string TotpAlreadyEnabled = "totp_already_enabled";
    public const string TotpNotSetUp = "totp_not_set_up";
    public const string TotpRequiredByClinic = "totp_required_by_clinic";
    public const string InvalidTotpCode = "invalid_totp_code";

    // Clinics run by an operator, and invitation links (set-password).
    public const string ClinicDisabled = "clinic_disabled";
    public const string InvitationExpired = "invitation_expired";
    public const string InvitationUsed = "invitation_used";
    public const string InvitationRevoked = "invitation_revoked";

    /// <summary>A staff invitation's link that a resend replaced: the newer link works.</summary>
    public const string InvitationReplaced = "invitation_replaced";
    public const string InvitationAccountMismatch = "invitation_account_mismatch";

    // Conversations.
    public const string PatientHasNoPortalAccount = "patient_has_no_portal_account";
    public const string PatientOptedOut = "patient_opted_out";

    // Attachments (the type and safety codes are also the intake's refusal codes).
    public const string AttachmentTooLarge = "attachment_too_large";
    public const string AttachmentTypeNotAllowed = "attachment_type_not_allowed";
    public const string AttachmentTypeMismatch = "attachment_type_mismatch";
    public const string AttachmentPdfUnsafe = "attachment_pdf_unsafe";
    public const string AttachmentArchiveUnsafe = "attachment_archive_unsafe";
    public const string NoPreview = "no_preview";

    /// <summary>The file is not one a browser shows itself (a PDF or an image): it is downloaded instead.</summary>
    public const string NotViewable = "not_viewable";

    // Changing the contact details notices go to.
    public const string VerificationCodeInvalid = "verification_code_invalid";

    // Records (FHIR import).
    public const string FhirImportTooLarge = "fhir_import_too_large";

    /// <summary>The clinic's system withdrew the record (entered in error): it cannot be sent on a card.</summary>
    public const string RecordWithdrawn = "record_withdrawn";

    /// <summary>A FHIR update's <c>If-Match</c> names a version the resource is not at (FHIR answers 412).</summary>
    public const string VersionConflict = "version_conflict";

    /// <summary>A colleague changed the thread's assignment since the caller looked (their <c>expected</c> no longer holds).</summary>
    public const string AssignmentChanged = "assignment_changed";

    /// <summary>The message can no longer be withdrawn: more than 5 minutes passed, or the patient has read it.</summary>
    public const string RecallClosed = "recall_closed";

    /// <summary>A quick reply with this shortcut exists already in the same list (the clinic's, or the caller's own).</summary>
    public const string ShortcutTaken = "shortcut_taken";

    // Issue 20 — staff administration.
    /// <summary>The change would leave a clinic without an Admin.</summary>
    public const string LastAdmin = "last_admin";
    public const string AlreadyMember = "already_member";

    // Issue 20 — patients added by staff, portal invitations and activation.
    /// <summary>Same MRN, or same name and date of birth, at this clinic: <c>existingPatientId</c> says who.</summary>
    public const string DuplicatePatient = "duplicate_patient";
    public const string SmsConsentRequired = "sms_consent_required";

    /// <summary>Too many wrong dates of birth: this activation link no longer works.</summary>
    public const string InvitationLocked = "invitation_locked";
    public const string BirthDateMismatch = "birth_date_mismatch";

    /// <summary>The patient has a portal account already: there is nothing to invite them to or activate.</summary>
    public const string PortalAccountExists = "portal_account_exists";

    /// <summary>The email's portal account is another patient's (of this clinic, or with another date of birth): nothing was linked.</summary>
    public const string PortalAccountOfAnother = "portal_account_of_another";

    // Issue 20 — password reset and self-service.
    /// <summary>A reset link that is expired, used, or was never issued (the three are not told apart).</summary>
    public const string ResetLinkInvalid = "reset_link_invalid";

    // Issue 20 — passkeys.
    public const string PasskeyRejected = "passkey_rejected";

    // The server's side.
    public const string TemporarilyUnavailable = "temporarily_unavailable";
    public const string InternalError = "internal_error";

    /// <summary>The status each code is answered with.</summary>
    /// <summary>The code of an error the framework answers itself (routing's 404 and 405, a challenge's 401, …), by its status.</summary>
    public static string ForStatus(int? status) => status switch
    {
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status401Unauthorized => Unauthenticated,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status413PayloadTooLarge => RequestTooLarge,
        StatusCodes.Status429TooManyRequests => RateLimited,
        >= 500 => InternalError,
        _ => MalformedRequest,
    };

    public static readonly IReadOnlyDictionary<string, int> Status = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [MalformedRequest] = StatusCodes.Status400BadRequest,
        [ValidationFailed] = StatusCodes.Status400BadRequest,
        [UnsupportedMediaType] = StatusCodes.Status415UnsupportedMediaType,
        [MethodNotAllowed] = StatusCodes.Status405MethodNotAllowed,
        [RequestTooLarge] = StatusCodes.Status413PayloadTooLarge,
        [Unauthenticated] = StatusCodes.Status401Unauthorized,
        [Forbidden] = StatusCodes.Status403Forbidden,
        [NotFound] = StatusCodes.Status404NotFound,
        [HostNotAllowed] = StatusCodes.Status400BadRequest,
        [CsrfHeaderMissing] = StatusCodes.Status403Forbidden,
        [CrossOriginRefused] = StatusCodes.Status403Forbidden,
        [RateLimited] = StatusCodes.Status429TooManyRequests,
        [TooManyConnections] = StatusCodes.Status429TooManyRequests,
        [WebhookSignatureInvalid] = StatusCodes.Status403Forbidden,
        [InvalidCredentials] = StatusCodes.Status401Unauthorized,
        [AccountLocked] = StatusCodes.Status403Forbidden,
        [PasswordRejected] = StatusCodes.Status400BadRequest,
        [SensitiveLocked] = StatusCodes.Status403Forbidden,
        [ContactNotVerified] = StatusCodes.Status409Conflict,
        [TotpEnrolmentRequired] = StatusCodes.Status403Forbidden,
        [TotpAlreadyEnabled] = StatusCodes.Status409Conflict,
        [TotpNotSetUp] = StatusCodes.Status409Conflict,
        [TotpRequiredByClinic] = StatusCodes.Status409Conflict,
        [InvalidTotpCode] = StatusCodes.Status400BadRequest,
        [ClinicDisabled] = StatusCodes.Status403Forbidden,
        [InvitationExpired] = StatusCodes.Status410Gone,
        [InvitationUsed] = StatusCodes.Status410Gone,
        [InvitationRevoked] = StatusCodes.Status410Gone,
        [InvitationReplaced] = StatusCodes.Status410Gone,
        [InvitationAccountMismatch] = StatusCodes.Status409Conflict,
        [PatientHasNoPortalAccount] = StatusCodes.Status409Conflict,
        [PatientOptedOut] = StatusCodes.Status409Conflict,
        [AttachmentTooLarge] = StatusCodes.Status413PayloadTooLarge,
        [AttachmentTypeNotAllowed] = StatusCodes.Status415UnsupportedMediaType,
        [AttachmentTypeMismatch] = StatusCodes.Status415UnsupportedMediaType,
        [AttachmentPdfUnsafe] = StatusCodes.Status415UnsupportedMediaType,
        [AttachmentArchiveUnsafe] = StatusCodes.Status415UnsupportedMediaType,
        [NoPreview] = StatusCodes.Status404NotFound,
        [NotViewable] = StatusCodes.Status404NotFound,
        [VerificationCodeInvalid] = StatusCodes.Status400BadRequest,
        [FhirImportTooLarge] = StatusCodes.Status413PayloadTooLarge,
        [RecordWithdrawn] = StatusCodes.Status409Conflict,
        [VersionConflict] = StatusCodes.Status412PreconditionFailed,
        [AssignmentChanged] = StatusCodes.Status409Conflict,
        [RecallClosed] = StatusCodes.Status409Conflict,
        [ShortcutTaken] = StatusCodes.Status409Conflict,
        [LastAdmin] = StatusCodes.Status409Conflict,
        [AlreadyMember] = StatusCodes.Status409Conflict,
        [DuplicatePatient] = StatusCodes.Status409Conflict,
        [SmsConsentRequired] = StatusCodes.Status409Conflict,
        [InvitationLocked] = StatusCodes.Status410Gone,
        [BirthDateMismatch] = StatusCodes.Status400BadRequest,
        [PortalAccountExists] = StatusCodes.Status409Conflict,
        [PortalAccountOfAnother] = StatusCodes.Status409Conflict,
        [ResetLinkInvalid] = StatusCodes.Status400BadRequest,
        [PasskeyRejected] = StatusCodes.Status400BadRequest,
        [TemporarilyUnavailable] = StatusCodes.Status503ServiceUnavailable,
        [InternalError] = StatusCodes.Status500InternalServerError,
    };
}
