namespace ClinicChat.Notices;

/// <summary>
/// The words of every notice, in one place so a reviewer can read all of them at once: the clinic's name, a link,
/// a code. Nothing else can reach a notice, because nothing else is passed in.
/// </summary>
public static class NoticeText
{
    public static string Subject(OutgoingNotice notice) => notice.Template switch
    {
        NoticeTemplates.NewMessage => $"New secure message from {notice.ClinicName}",
        NoticeTemplates.Reply => $"{notice.ClinicName} replied to your message",
        NoticeTemplates.Test => $"Test notice from {notice.ClinicName}",
        NoticeTemplates.VerifyContact => $"Your {notice.ClinicName} verification code",
        NoticeTemplates.StaffWaiting => $"A patient at {notice.ClinicName} is waiting past the reply target",
        NoticeTemplates.StaffMentioned => $"A colleague at {notice.ClinicName} mentioned you",
        NoticeTemplates.StaffInvitation => $"You are invited to join {notice.ClinicName} on ClinicChat",
        NoticeTemplates.PatientInvitation => $"{notice.ClinicName} invites you to its secure patient portal",
        NoticeTemplates.PasswordReset => "Reset your ClinicChat password",
        NoticeTemplates.TwoStepReset => "Two-step sign-in was turned off for your ClinicChat account",
        NoticeTemplates.PasswordChanged => "Your ClinicChat password was changed",
        _ => throw Unknown(notice.Template),
    };

    /// <summary>The body as plain text: the email's text part, and (with <see cref="Sms"/>) the only wording there is.</summary>
    public static string Body(OutgoingNotice notice) => notice.Template switch
    {
        NoticeTemplates.NewMessage =>
            $"{notice.ClinicName} sent you a secure message.\n\nSign in to read it: {notice.Link}\n\nFor your privacy this email does not include the message.",
        NoticeTemplates.Reply =>
            $"{notice.ClinicName} replied to your message.\n\nSign in to read it: {notice.Link}\n\nFor your privacy this email does not include the message.",
        NoticeTemplates.Test =>
            $"This is a test notice from {notice.ClinicName}. Notices like this one tell you that a secure message is waiting.\n\nSign in: {notice.Link}",
        NoticeTemplates.VerifyContact =>
            $"Your verification code is {notice.Code}. It expires in a few minutes. If you did not ask for it, ignore this message.",
        NoticeTemplates.StaffWaiting =>
            $"A patient at {notice.ClinicName} has waited longer than the clinic's reply target for an answer.\n\nOpen the thread: {notice.Link}",
        NoticeTemplates.StaffMentioned =>
            $"A colleague at {notice.ClinicName} mentioned you in a note on a patient thread.\n\nOpen the thread: {notice.Link}",
        NoticeTemplates.StaffInvitation =>
            $"{notice.ClinicName} invites you to ClinicChat, its secure messaging with patients.\n\nSet your password here: {OneTimeLink(notice)}\n\nThe link works once and expires in 7 days. If you did not expect it, ignore this email.",
        NoticeTemplates.PatientInvitation =>
            $"{notice.ClinicName} invites you to its secure patient portal, where you can message the clinic.\n\nActivate your account: {OneTimeLink(notice)}\n\nYou will be asked for your date of birth. The link works once and expires in 7 days.",
        NoticeTemplates.PasswordReset =>
            $"Someone asked to reset the password of the ClinicChat account for this address.\n\nChoose a new password: {OneTimeLink(notice)}\n\nThe link works once and expires soon. If it was not you, ignore this email: your password stays as it is.",
        NoticeTemplates.TwoStepReset =>
            $"An Admin of {notice.ClinicName} turned off two-step sign-in for your ClinicChat account, which is done when a phone and its recovery codes are lost. Your sessions were ended; you now sign in with your password alone.\n\nSign in and set two-step sign-in up again on your Security page: {notice.Link}\n\nIf you did not ask for this, tell your clinic at once and change your password.",
        NoticeTemplates.PasswordChanged =>
            $"The password of the ClinicChat account for this address was changed, and the account's other sessions were ended.\n\nIf it was you, there is nothing more to do.\n\nIf it was not you, choose a new password at once with \"Forgot password?\" on the sign-in page ({notice.Link}), then tell your clinic.",
        _ => throw Unknown(notice.Template),
    };

    /// <summary>One SMS segment where possible; always says how to stop.</summary>
    public static string Sms(OutgoingNotice notice) => notice.Template switch
    {
        NoticeTemplates.NewMessage => $"{notice.ClinicName} sent you a secure message. Sign in to read it: {notice.Link}. Reply STOP to opt out.",
        NoticeTemplates.Reply => $"{notice.ClinicName} replied to your message. Sign in to read it: {notice.Link}. Reply STOP to opt out.",
        NoticeTemplates.Test => $"Test notice from {notice.ClinicName}. Secure-message notices will look like this. Reply STOP to opt out.",
        NoticeTemplates.VerifyContact => $"Your {notice.ClinicName} verification code is {notice.Code}.",
        // One number may send for many clinics, so HELP is answered in the product's name ("ClinicChat"), with the app's address.
        NoticeTemplates.PatientInvitation => $"{notice.ClinicName} invites you to its secure patient portal. Activate: {OneTimeLink(notice)} Reply STOP to opt out.",
        NoticeTemplates.SmsHelp => $"{notice.ClinicName} secure-message notices. Help: {notice.Link}. Reply STOP to opt out.",
        _ => throw Unknown(notice.Template),
    };

    /// <summary>
    /// A one-time link (invitation, password reset): the page's address in <c>link</c>, the secret token in <c>code</c>, which the
    /// outbox clears once the notice is sent, so a sent link's secret is not kept at rest.
    /// </summary>
    public static string OneTimeLink(OutgoingNotice notice) => notice.Link + notice.Code;

    /// <summary>Templates whose link carries a secret: account mail (no unsubscribe), not a notice about a message.</summary>
    public static bool HasOneTimeLink(string template) =>
        template is NoticeTemplates.StaffInvitation or NoticeTemplates.PatientInvitation or NoticeTemplates.PasswordReset;

    /// <summary>Mail about the account itself (a link that signs in or a security change): never offers to unsubscribe.</summary>
    public static bool IsAccountMail(string template) =>
        HasOneTimeLink(template) || template is NoticeTemplates.TwoStepReset or NoticeTemplates.PasswordChanged;

    /// <summary>The address the notice's button leads to.</summary>
    public static string? LinkOf(OutgoingNotice notice) => HasOneTimeLink(notice.Template) ? OneTimeLink(notice) : notice.Link;

    private static ArgumentOutOfRangeException Unknown(string template) =>
        new(nameof(template), template, "No wording for this notice template.");
}
