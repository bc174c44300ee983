namespace ClinicChat.Audit;

/// <summary>Stable action names: they are stored, so never rename one.</summary>
public static class AuditActions
{
    public const string ConversationStarted = "conversation.started";
    public const string ConversationViewed = "conversation.viewed";
    public const string ConversationArchived = "conversation.archived";
    public const string ConversationReopened = "conversation.reopened";
    public const string MessageSent = "message.sent";
    public const string MessageRead = "message.read";
    public const string MessageDelivered = "message.delivered";
    public const string AttachmentUploaded = "attachment.uploaded";
    public const string AttachmentDownloaded = "attachment.downloaded";
    public const string PreferencesChanged = "preferences.changed";
    public const string ThreadFlagsChanged = "thread.flags_changed";

    /// <summary>A thread was assigned or unassigned (detail: the assignee's id, or none).</summary>
    public const string ThreadAssigned = "thread.assigned";

    /// <summary>A thread's status changed (detail: the new status; a patient's message reopening it says so).</summary>
    public const string ThreadStatusChanged = "thread.status_changed";

    /// <summary>A thread was routed to another topic, by staff or by the patient starting a conversation about it (detail: the topic).</summary>
    public const string ThreadTopicChanged = "thread.topic_changed";

    /// <summary>An internal note was added to a thread (detail: its item seq and the mentioned colleagues' ids; never its words).</summary>
    public const string NoteAdded = "note.added";

    /// <summary>A staff message was withdrawn (recalled) before the patient read it (detail: its seq). The message itself stays stored.</summary>
    public const string MessageWithdrawn = "message.withdrawn";
    public const string AccessDenied = "access.denied";

    /// <summary>The refusals of one caller at one clinic in one window after the first (see <c>DeniedAccessWindows</c>).</summary>
    public const string AccessDeniedSummary = "access.denied.summary";
    public const string PatientRegistered = "patient.registered";
    public const string PatientsSearched = "patients.searched";
    public const string ThreadsListed = "threads.listed";
    public const string ThreadViewed = "thread.viewed";
    public const string RecordImported = "record.imported";
    public const string RecordsListed = "records.listed";
    public const string CardAttached = "card.attached";
    public const string CardViewed = "card.viewed";
    public const string Reauthenticated = "reauth";
    public const string SignedIn = "signin";
    public const string SignedOut = "signout";
    public const string PasswordChanged = "password.changed";
    public const string TotpEnabled = "totp.enabled";
    public const string TotpDisabled = "totp.disabled";
    public const string TotpRecoveryCodesIssued = "totp.recovery_codes_issued";
    public const string ClinicSecurityChanged = "clinic.security_changed";
    public const string AuditViewed = "audit.viewed";
    public const string AuditExported = "audit.exported";
    public const string AuditVerified = "audit.verified";
    public const string ClinicCreated = "clinic.created";
    public const string ClinicDisabled = "clinic.disabled";
    public const string ClinicEnabled = "clinic.enabled";
    public const string InvitationIssued = "invitation.issued";
    public const string InvitationAccepted = "invitation.accepted";
    public const string InvitationRevoked = "invitation.revoked";

    /// <summary>A notice decided and put in the outbox (detail: channel, template, masked address; never content).</summary>
    public const string NoticeQueued = "notice.queued";

    /// <summary>A decision that sends nothing (detail: why: opted out, daily cap, no verified address, …).</summary>
    public const string NoticeSuppressed = "notice.suppressed";
    public const string NoticeSent = "notice.sent";

    /// <summary>The provider refused for good, or retries ran out.</summary>
    public const string NoticeFailed = "notice.failed";

    /// <summary>A provider's later delivery report on a sent notice (Twilio status callback: delivered, undelivered, failed).</summary>
    public const string NoticeDeliveryReported = "notice.delivery_reported";
    public const string NoticePreferencesChanged = "notice.preferences_changed";
    public const string SmsStopped = "sms.stopped";
    public const string SmsStarted = "sms.started";
    public const string ContactVerified = "contact.verified";

    // Issue 20 — staff administration (detail: role, masked email; never a name).
    public const string StaffInvited = "staff.invited";
    public const string StaffInvitationResent = "staff.invitation_resent";
    public const string StaffRoleChanged = "staff.role_changed";
    public const string StaffDeactivated = "staff.deactivated";
    public const string StaffReactivated = "staff.reactivated";

    // Issue 20 — patients added by staff, portal invitations and activation.
    public const string PatientCreated = "patient.created";
    public const string PatientUpdated = "patient.updated";
    public const string PatientSmsConsentRecorded = "patient.sms_consent_recorded";
    public const string PatientInvited = "patient.invited";
    public const string PatientInvitationResent = "patient.invitation_resent";
    public const string PatientInvitationCancelled = "patient.invitation_cancelled";

    // Issue 21 — patients from the EHR (patient.created / patient.updated with source=fhir).
    /// <summary>An EHR's id for a patient was linked to a ClinicChat patient (detail: never the id itself, it may be an MRN).</summary>
    public const string PatientExternalIdLinked = "patient.external_id_linked";
    public const string ClinicMrnSystemChanged = "clinic.mrn_system_changed";
    public const string IntegrationRegistered = "integration.registered";
    public const string IntegrationRevoked = "integration.revoked";

    /// <summary>An integration got an access token (SMART Backend Services); its later actions carry its own actor id.</summary>
    public const string IntegrationSignedIn = "integration.signed_in";

    /// <summary>A FHIR read of a record or a patient (detail: the resource type and, for records, the record id).</summary>
    public const string FhirRead = "fhir.read";

    /// <summary>A wrong date of birth on an activation page (detail: the count); the third locks the link.</summary>
    public const string ActivationBirthDateMismatch = "activation.birth_date_mismatch";
    public const string ActivationLocked = "activation.locked";
    public const string PatientActivated = "patient.activated";

    /// <summary>A clinic linked to a portal account the patient already had (a patient of another clinic).</summary>
    public const string PatientAccountLinked = "patient.account_linked";

    // Issue 20 — password reset and self-service.
    public const string PasswordResetRequested = "password.reset_requested";
    public const string PasswordReset = "password.reset";
    public const string SignedOutEverywhere = "signout.everywhere";
    public const string ChatOptInChanged = "chat.opt_in_changed";

    // Issue 20 — passkeys.
    public const string PasskeyAdded = "passkey.added";
    public const string PasskeyRemoved = "passkey.removed";

    // Issue 22 — quick replies and the clinic's profile (detail: ids and the scope; never a template's text).
    public const string QuickReplyCreated = "quick_reply.created";
    public const string QuickReplyChanged = "quick_reply.changed";
    public const string QuickReplyDeleted = "quick_reply.deleted";
    public const string ClinicProfileChanged = "clinic.profile_changed";

    /// <summary>
    /// An Admin turned off a member's two-step sign-in (a lost phone and lost recovery codes); in the chain of each clinic
    /// where the member holds a role, with the Admin as actor (detail: the member's id).
    /// </summary>
    public const string TotpResetByAdmin = "totp.reset_by_admin";
}

public static class AuditOutcomes
{
    public const string Success = "success";
    public const string Denied = "denied";
    public const string Failure = "failure";
}
