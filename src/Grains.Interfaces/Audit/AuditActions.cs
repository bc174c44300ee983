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
}

public static class AuditOutcomes
{
    public const string Success = "success";
    public const string Denied = "denied";
    public const string Failure = "failure";
}
