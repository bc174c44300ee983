using MimeKit;

namespace ClinicChat.Notices.Email;

/// <summary>
/// A notice as an email: the words of <see cref="NoticeText"/> as a text part and the same words as HTML, the clinic's
/// name as the sender's display name, and the headers mail providers expect of automated mail. Nothing but the notice's
/// fields goes in, so nothing else (message text, a clinician, a record, health) can come out.
/// </summary>
public static class NoticeEmail
{
    public static MimeMessage Compose(OutgoingNotice notice, MailboxAddress from)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(notice.ClinicName, from.Address));
        message.To.Add(new MailboxAddress(string.Empty, notice.Address));
        message.Subject = NoticeText.Subject(notice);

        // The outbox row's id, so a resend after a crash (sent, but the success never recorded) is recognisably the
        // same message: SMTP has no idempotency key, and mail clients fold copies that share a Message-ID into one.
        message.MessageId = $"{notice.Id:N}@{from.Domain}";

        // Automated mail: no out-of-office replies (RFC 3834).
        message.Headers.Add("Auto-Submitted", "auto-generated");
        if (notice.UnsubscribeLink is { Length: > 0 } unsubscribe && !NoticeText.IsAccountMail(notice.Template))
        {
            message.Headers.Add(HeaderId.ListUnsubscribe, $"<{unsubscribe}>");
            if (unsubscribe.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                // One-click unsubscribe (RFC 8058): the provider POSTs to the link, which RFC 8058 requires be https.
                message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            }
        }

        var text = NoticeText.Body(notice);
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = NoticeEmailHtml.Render(message.Subject, text, NoticeText.LinkOf(notice)) }.ToMessageBody();
        return message;
    }
}
