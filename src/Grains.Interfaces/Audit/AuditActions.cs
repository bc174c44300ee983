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
    public const string PreferencesChanged = "preferences.changed";
    public const string ThreadFlagsChanged = "thread.flags_changed";
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
}

public static class AuditOutcomes
{
    public const string Success = "success";
    public const string Denied = "denied";
    public const string Failure = "failure";
}
