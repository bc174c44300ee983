using System.Net.Sockets;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using ClinicChat.Notices;
using ClinicChat.Notices.Email;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace ClinicChat.Tests.Notices;

/// <summary>Email notices sent with MailKit to a real SMTP server on loopback, and read back as a mail client would.</summary>
public sealed partial class SmtpNoticeSenderTests : IDisposable
{
    private const string From = "notices@clinic.example";
    private const string SignInLink = "https://chat.example-clinic.com/#/signin?next=conversations";
    private const string UnsubscribeLink = "https://chat.example-clinic.com/#/preferences/notices";

    private readonly LoopbackSmtpServer _server = LoopbackSmtpServer.Start();
    private readonly LogRecorder _logs = new();

    [Fact]
    public async Task ANewMessageNoticeArrivesAsTextAndHtmlFromTheClinicWithTheSameWords()
    {
        var notice = Notice();
        await using var sender = Sender(_server.Options());

        var result = await sender.SendAsync(notice, CancellationToken.None);

        Assert.Equal(NoticeSendStatus.Sent, result.Status);
        var email = Assert.Single(await _server.WaitForAsync(1));
        var message = email.Message;
        var from = Assert.Single(message.From.Mailboxes);
        Assert.Equal(("Northside Family Dental", From), (from.Name, from.Address));
        Assert.Equal([notice.Address], email.EnvelopeRecipients);
        Assert.Equal("New secure message from Northside Family Dental", message.Subject);

        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(part => part.ContentType.MimeType));
        Assert.Equal(NoticeText.Body(notice), Lines(message.TextBody));
        Assert.Contains($"href=\"{SignInLink}\"", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(SignInLink, message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHtmlPartSaysNothingTheTextPartDoesNot()
    {
        var notice = Notice();
        await using var sender = Sender(_server.Options());

        await sender.SendAsync(notice, CancellationToken.None);

        var message = Assert.Single(await _server.WaitForAsync(1)).Message;
        var allowed = Words(NoticeText.Body(notice) + " " + NoticeText.Subject(notice));
        Assert.Empty(Words(VisibleText(message.HtmlBody ?? string.Empty)).Except(allowed));
        Assert.DoesNotContain("<img", message.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", message.HtmlBody, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ANoticeCarriesOnlyTheHeadersItNeedsAndNoForbiddenWords()
    {
        var notice = Notice();
        await using var sender = Sender(_server.Options());

        await sender.SendAsync(notice, CancellationToken.None);

        var email = Assert.Single(await _server.WaitForAsync(1));
        // Everything but Received (the receiving server's trace line) is ours.
        string[] expected = ["Received", "From", "To", "Subject", "Date", "Message-Id", "MIME-Version", "Content-Type", "Auto-Submitted", "List-Unsubscribe", "List-Unsubscribe-Post"];
        Assert.Empty(email.Message.Headers.Select(h => h.Field).Except(expected, StringComparer.OrdinalIgnoreCase));
        foreach (var forbidden in new[] { "sensitive", "Alice", "Carter", "results", "invoice", "prescription", "appointment", ".pdf", ".jpg" })
        {
            Assert.DoesNotContain(forbidden, email.Raw, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task ANoticeCanBeUnsubscribedWithOneClickAndIsMarkedAutomatic()
    {
        var notice = Notice();
        await using var sender = Sender(_server.Options());

        await sender.SendAsync(notice, CancellationToken.None);

        var headers = Assert.Single(await _server.WaitForAsync(1)).Message.Headers;
        Assert.Equal($"<{UnsubscribeLink}>", headers[HeaderId.ListUnsubscribe]);
        Assert.Equal("List-Unsubscribe=One-Click", headers["List-Unsubscribe-Post"]);
        Assert.Equal("auto-generated", headers["Auto-Submitted"]);
    }

    [Fact]
    public async Task OneClickUnsubscribeIsOfferedOnlyForAnHttpsLink()
    {
        var notice = Notice() with { UnsubscribeLink = "http://localhost:5080/#/preferences/notices" };
        await using var sender = Sender(_server.Options());

        await sender.SendAsync(notice, CancellationToken.None);

        var headers = Assert.Single(await _server.WaitForAsync(1)).Message.Headers;
        Assert.Equal("<http://localhost:5080/#/preferences/notices>", headers[HeaderId.ListUnsubscribe]);
        Assert.False(headers.Contains("List-Unsubscribe-Post"));
    }

    [Fact]
    public async Task TheMessageIdIsTheNoticeIdSoAResendIsTheSameMessage()
    {
        var notice = Notice();
        await using var sender = Sender(_server.Options());

        var first = await sender.SendAsync(notice, CancellationToken.None);
        var resend = await sender.SendAsync(notice with { Attempt = 2 }, CancellationToken.None);

        var emails = await _server.WaitForAsync(2);
        Assert.All(emails, email => Assert.Equal($"{notice.Id:N}@clinic.example", email.Message.MessageId));
        Assert.Equal(first.ProviderMessageId, resend.ProviderMessageId);
    }

    [Fact]
    public async Task AClinicNameWithMarkupIsEscapedInTheHtmlAndKeptWholeAsTheSenderName()
    {
        var notice = Notice() with { ClinicName = "A&B <Clinic>" };
        await using var sender = Sender(_server.Options());

        await sender.SendAsync(notice, CancellationToken.None);

        var message = Assert.Single(await _server.WaitForAsync(1)).Message;
        Assert.Equal("A&B <Clinic>", message.From.Mailboxes.Single().Name);
        Assert.Equal(From, message.From.Mailboxes.Single().Address);
        Assert.Contains("A&amp;B &lt;Clinic&gt;", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<Clinic>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(NoticeText.Body(notice), Lines(message.TextBody));
    }

    [Fact]
    public async Task AVerificationCodeArrivesInBothParts()
    {
        var notice = Notice() with { Template = NoticeTemplates.VerifyContact, Link = null, Code = "482913" };
        await using var sender = Sender(_server.Options());

        await sender.SendAsync(notice, CancellationToken.None);

        var message = Assert.Single(await _server.WaitForAsync(1)).Message;
        Assert.Equal("Your Northside Family Dental verification code", message.Subject);
        Assert.Contains("482913", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("482913", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void ALinkIsEscapedInsideTheButtonsAddress()
    {
        const string link = "https://chat.example-clinic.com/?a=1&b=\"2\"";

        var html = NoticeEmailHtml.Render("Subject", $"Sign in: {link}", link);

        Assert.Contains("href=\"https://chat.example-clinic.com/?a=1&amp;b=&quot;2&quot;\"", html, StringComparison.Ordinal);
        Assert.Contains(">Sign in</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyAnHttpLinkBecomesAButton()
    {
        const string link = "javascript:alert(1)";

        var html = NoticeEmailHtml.Render("Subject", $"Sign in: {link}", link);

        Assert.DoesNotContain("href", html, StringComparison.Ordinal);
        Assert.Contains("Sign in: javascript:alert(1)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoHundredNoticesAllArriveOverOneConnection()
    {
        var notices = Enumerable.Range(0, 200).Select(_ => Notice()).ToList();
        await using var sender = Sender(_server.Options());

        foreach (var notice in notices)
        {
            Assert.Equal(NoticeSendStatus.Sent, (await sender.SendAsync(notice, CancellationToken.None)).Status);
        }

        var emails = await _server.WaitForAsync(200);
        Assert.Equal(notices.Select(n => $"{n.Id:N}@clinic.example").Order(), emails.Select(e => e.Message.MessageId).Order());
        Assert.Single(emails.Select(e => e.ClientPort).Distinct());
    }

    [Fact]
    public async Task NoServerListeningMeansRetryLaterNotAnException()
    {
        var options = _server.Options();
        options.Port = UnusedPort();
        await using var sender = Sender(options);
        var notice = Notice();

        var result = await sender.SendAsync(notice, CancellationToken.None);

        Assert.Equal((NoticeSendStatus.RetryLater, "smtp_connection"), (result.Status, result.ErrorCode));
        Assert.DoesNotContain(_logs.Messages, m => m.Contains(notice.Address, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(_logs.Messages, m => m.Contains(notice.Id.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARelayThatRequiresNoTlsIsRefusedWhenTlsIsAskedFor()
    {
        var options = _server.Options();
        options.UseTls = true;
        await using var sender = Sender(options);

        var result = await sender.SendAsync(Notice(), CancellationToken.None);

        Assert.Equal((NoticeSendStatus.RetryLater, "smtp_no_starttls"), (result.Status, result.ErrorCode));
        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task AMailboxTheRelayRefusesForGoodFailsWithTheReplyCode()
    {
        await using var relay = new SmtpStubServer(recipientReply: "550 5.1.1 Mailbox unavailable");
        await using var sender = Sender(StubOptions(relay));
        var notice = Notice();

        var result = await sender.SendAsync(notice, CancellationToken.None);

        Assert.Equal((NoticeSendStatus.Failed, "smtp_550"), (result.Status, result.ErrorCode));
        Assert.Equal(0, relay.Messages);
        Assert.DoesNotContain(_logs.Messages, m => m.Contains(notice.Address, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ARecipientTheRelayDefersIsRetriedLater()
    {
        await using var relay = new SmtpStubServer(recipientReply: "451 4.3.0 Try again later");
        await using var sender = Sender(StubOptions(relay));

        var result = await sender.SendAsync(Notice(), CancellationToken.None);

        Assert.Equal((NoticeSendStatus.RetryLater, "smtp_451"), (result.Status, result.ErrorCode));
    }

    [Fact]
    public async Task AKeptConnectionTheRelayHungUpIsReopenedWithoutFailingTheNotice()
    {
        await using var relay = new SmtpStubServer(hangUpAfterEachMessage: true);
        await using var sender = Sender(StubOptions(relay));

        var first = await sender.SendAsync(Notice(), CancellationToken.None);
        var second = await sender.SendAsync(Notice(), CancellationToken.None);

        Assert.Equal((NoticeSendStatus.Sent, NoticeSendStatus.Sent), (first.Status, second.Status));
        Assert.Equal(2, relay.Messages);
        Assert.Equal(2, relay.Connections);
    }

    [Fact]
    public async Task AnAddressThatIsNotOneFailsWithoutTryingTheRelay()
    {
        await using var sender = Sender(_server.Options());

        var result = await sender.SendAsync(Notice() with { Address = "not an address <" }, CancellationToken.None);

        Assert.Equal((NoticeSendStatus.Failed, "bad_address"), (result.Status, result.ErrorCode));
        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task ATemplateWithoutEmailWordingFailsInsteadOfThrowing()
    {
        await using var sender = Sender(_server.Options());

        var result = await sender.SendAsync(Notice() with { Template = NoticeTemplates.SmsHelp }, CancellationToken.None);

        Assert.Equal((NoticeSendStatus.Failed, "no_email_wording"), (result.Status, result.ErrorCode));
    }

    public void Dispose() => _server.Dispose();

    private SmtpNoticeSender Sender(SmtpOptions options) => new(Microsoft.Extensions.Options.Options.Create(options), _logs.For<SmtpNoticeSender>());

    private static SmtpOptions StubOptions(SmtpStubServer relay) =>
        new() { Host = "127.0.0.1", Port = relay.Port, UseTls = false, From = From };

    private static OutgoingNotice Notice() => new(
        Guid.NewGuid(),
        NoticeChannel.Email,
        NoticeTemplates.NewMessage,
        $"patient.{Guid.NewGuid():N}@example.com",
        "Northside Family Dental",
        SignInLink,
        Code: null,
        UnsubscribeLink,
        Attempt: 1);

    private static int UnusedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string? Lines(string? text) => text?.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n');

    private static string VisibleText(string html) => WebUtility.HtmlDecode(Tags().Replace(html, " "));

    private static HashSet<string> Words(string text) =>
        [.. WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant())];

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

    /// <summary>Keeps every formatted log line, so a test can prove what a log never says (an address).</summary>
    private sealed class LogRecorder
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyList<string> Messages => [.. _messages];

        public ILogger<T> For<T>() => new Logger<T>(_messages);

        private sealed class Logger<T>(ConcurrentQueue<string> messages) : ILogger<T>
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                messages.Enqueue(formatter(state, exception));
        }
    }
}
