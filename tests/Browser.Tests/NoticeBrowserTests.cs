using System.Text.RegularExpressions;
using MimeKit;

namespace ClinicChat.Browser.Tests;

/// <summary>
/// A signed-out patient hears about a clinic message by email, follows the link, signs in and lands in the thread; and
/// no notice the browser tests produce says anything but that a message waits.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class NoticeBrowserTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string Secret = "Your biopsy results from Dr. Alice are back";

    [Fact]
    public Task ASignedOutPatientGetsAnEmailFollowsItsLinkSignsInAndLandsInTheThread() => RunAsync(async () =>
    {
        var (patient, thread, staff) = await OpenNewThreadAsync(171);
        await SendAsync(staff, Secret);

        var notice = await Fixture.Smtp.WaitForAsync(mail => mail.EnvelopeRecipients.Contains(patient.Email!), TimeSpan.FromSeconds(60));
        var link = SignInLink().Match(notice.Message.TextBody ?? string.Empty).Groups[1].Value;
        Assert.Equal($"{Fixture.BaseUrl}/#/inbox/{thread}", link);
        Assert.Equal("Northside Family Dental", ((MailboxAddress)notice.Message.From.Single()).Name);

        var portal = await OpenAsync(width: 375, height: 740);
        await portal.GotoAsync(link);
        await portal.GetByRole(AriaRole.Textbox, new() { Name = "Email" }).FillAsync(patient.Email!);
        await portal.GetByRole(AriaRole.Textbox, new() { Name = "Password" }).FillAsync(Web.Seeding.DemoData.Password);
        await portal.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Log(portal)).ToContainTextAsync(Secret);
        Assert.EndsWith($"#/inbox/{thread}", portal.Url, StringComparison.Ordinal);

        AssertEveryNoticeIsContentFree(patient.Name);
    });

    /// <summary>
    /// Every email the app sent during this browser run (demo threads' notices at start-up, other tests' unread messages,
    /// this test's): its text is one of the fixed wordings with a clinic name and a link, and nothing anywhere in it
    /// (headers, text, HTML) names a person, a record or the message.
    /// </summary>
    private void AssertEveryNoticeIsContentFree(string patientName)
    {
        string[] forbidden =
        [
            Secret, "biopsy", "results", "Alice", "Frank", "Dr.", patientName, "sensitive", "appointment", "invoice", "prescription",
            "/appt", "/invoice", "/rx", "attachment", ".pdf", ".png",
        ];
        var received = Fixture.Smtp.Received;
        Assert.NotEmpty(received);
        foreach (var mail in received)
        {
            // Other tests invite staff and patients and reset passwords: those emails have wordings of their own.
            var text = (mail.Message.TextBody ?? string.Empty).ReplaceLineEndings("\n");
            Assert.Matches(AccountMailSubject().IsMatch(mail.Message.Subject ?? string.Empty) ? AccountMailWording() : NoticeWording(), text);
            // A colleague's mention goes to their work address (frank.frontdesk@…), which the headers carry; its words may not name anyone.
            var toStaff = mail.EnvelopeRecipients.All(address => address.EndsWith("@northside.example", StringComparison.Ordinal) || address.EndsWith("@lakeview.example", StringComparison.Ordinal));
            foreach (var word in forbidden)
            {
                Assert.DoesNotContain(word, toStaff ? mail.Message.Subject ?? string.Empty : mail.Raw, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(word, mail.Message.HtmlBody ?? string.Empty, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain(word, mail.Message.TextBody ?? string.Empty, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    /// <summary>
    /// The subjects of the account emails (NoticeText): a staff invitation, a portal invitation, a password reset, a changed
    /// password, an Admin's reset of two-step sign-in.
    /// </summary>
    [GeneratedRegex(@"^(You are invited to join .+ on ClinicChat|.+ invites you to its secure patient portal|Reset your ClinicChat password|Your ClinicChat password was changed|Two-step sign-in was turned off for your ClinicChat account)$")]
    private static partial Regex AccountMailSubject();

    /// <summary>Their wordings: who asks (a clinic's name, or nobody), a one-time link to the app's own page, and what the link does.</summary>
    [GeneratedRegex(@"^((Northside Family Dental|Lakeview Pediatrics) invites you to ClinicChat, its secure messaging with patients\.\n\nSet your password here: http://127\.0\.0\.1:\d+/#/set-password/\S+|(Northside Family Dental|Lakeview Pediatrics) invites you to its secure patient portal, where you can message the clinic\.\n\nActivate your account: http://127\.0\.0\.1:\d+/#/activate/\S+|Someone asked to reset the password of the ClinicChat account for this address\.\n\nChoose a new password: http://127\.0\.0\.1:\d+/#/reset-password/\S+|The password of the ClinicChat account for this address was changed, and the account's other sessions were ended\.\n\nIf it was you, there is nothing more to do\.|An Admin of (Northside Family Dental|Lakeview Pediatrics) turned off two-step sign-in for your ClinicChat account, which is done when a phone and its recovery codes are lost\. Your sessions were ended; you now sign in with your password alone\.\n\nSign in and set two-step sign-in up again on your Security page: http://127\.0\.0\.1:\d+/#/security)\n\n[^\n]+\s*$")]
    private static partial Regex AccountMailWording();

    [GeneratedRegex(@"Sign in to read it: (\S+)")]
    private static partial Regex SignInLink();

    /// <summary>
    /// The wordings a thread notice may have (NoticeText): to a patient, a clinic name, a link into the inbox and the privacy
    /// line; to a colleague a note mentions (the team tests), the clinic's name and a link into Chat.
    /// </summary>
    [GeneratedRegex(@"^((Northside Family Dental|Lakeview Pediatrics) (sent you a secure message|replied to your message)\.\n\nSign in to read it: http://127\.0\.0\.1:\d+/#/inbox/[0-9a-f-]{36}\n\nFor your privacy this email does not include the message\.|A colleague at (Northside Family Dental|Lakeview Pediatrics) mentioned you in a note on a patient thread\.\n\nOpen the thread: http://127\.0\.0\.1:\d+/#/chat/[0-9a-f-]{36})\s*$")]
    private static partial Regex NoticeWording();
}
