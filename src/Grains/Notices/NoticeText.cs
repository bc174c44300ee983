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
        NoticeTemplates.StaffWaiting => "A patient message is waiting",
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
            $"A patient message at {notice.ClinicName} has waited unread by every staff member.\n\nOpen the thread: {notice.Link}",
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
        NoticeTemplates.SmsHelp => $"{notice.ClinicName} secure-message notices. Help: {notice.Link}. Reply STOP to opt out.",
        _ => throw Unknown(notice.Template),
    };

    private static ArgumentOutOfRangeException Unknown(string template) =>
        new(nameof(template), template, "No wording for this notice template.");
}
