using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ClinicChat.Notices.Email;

/// <summary>
/// Email notices through an SMTP relay, with MailKit. One connection is kept open across sends (a connection and TLS
/// handshake per notice would cap a backlog of thousands at a few a second) and reopened when it fails; the
/// dispatcher calls from one loop, and a gate keeps calls from elsewhere (a test notice) from interleaving on it.
/// Provider failures are answered, never thrown: a passing one (no connection, a timeout, a 4xx reply) as
/// <see cref="NoticeSendStatus.RetryLater"/>, a refusal for good of this recipient or message (a 5xx reply) as
/// <see cref="NoticeSendStatus.Failed"/> with the reply code (<c>smtp_550</c>).
/// </summary>
public sealed partial class SmtpNoticeSender : INoticeSender, IAsyncDisposable
{
    private readonly SmtpOptions _options;
    private readonly string _host;
    private readonly MailboxAddress _from;
    private readonly ILogger<SmtpNoticeSender> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SmtpClient? _client;
    private int _disposed;

    public SmtpNoticeSender(IOptions<SmtpOptions> options, ILogger<SmtpNoticeSender> logger)
    {
        _options = options.Value;
        _host = string.IsNullOrWhiteSpace(_options.Host)
            ? throw new ArgumentException($"{SmtpOptions.Section}:Host is not set.", nameof(options))
            : _options.Host;
        _from = SmtpOptionsValidation.ParseFrom(_options.From)
            ?? throw new ArgumentException($"{SmtpOptions.Section}:From must be an email address.", nameof(options));
        _logger = logger;
    }

    public NoticeChannel Channel => NoticeChannel.Email;

    public async Task<NoticeSendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken)
    {
        var (message, refusal) = Compose(notice);
        if (message is null)
        {
            return NotSendable(notice, refusal!);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await SendOnConnectionAsync(notice, message, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private (MimeMessage? Message, string? Refusal) Compose(OutgoingNotice notice)
    {
        try
        {
            return (NoticeEmail.Compose(notice, _from), null);
        }
        catch (ParseException)
        {
            // The recipient's address cannot be written as one: no relay would take it, now or later.
            return (null, "bad_address");
        }
        catch (ArgumentOutOfRangeException)
        {
            // A template with no email wording (an SMS-only answer): a bug upstream, but one notice's bug must not
            // stop the dispatcher's loop.
            return (null, "no_email_wording");
        }
    }

    private async Task<NoticeSendResult> SendOnConnectionAsync(OutgoingNotice notice, MimeMessage message, CancellationToken cancellationToken)
    {
        // Relays close idle connections: a kept connection that turns out dead is not the relay failing, so it gets
        // one attempt on a fresh connection before the notice goes back to the dispatcher's back-off.
        var freshAttemptLeft = _client is { IsConnected: true };
        while (true)
        {
            try
            {
                var client = await ConnectedClientAsync(cancellationToken);
                await client.SendAsync(message, cancellationToken);
                return NoticeSendResult.Sent(message.MessageId);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Stopped mid-conversation: the connection is in an unknown state.
                await DropConnectionAsync();
                throw;
            }
            catch (Exception failure)
            {
                await DropConnectionAsync();
                if (!freshAttemptLeft || !IsConnectionFailure(failure))
                {
                    return Answer(notice, failure);
                }

                freshAttemptLeft = false;
                LogReconnecting(notice.Id);
            }
        }
    }

    private async Task<SmtpClient> ConnectedClientAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true } connected)
        {
            return connected;
        }

        var client = new SmtpClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(_host, _options.Port, SocketOptions(_options), cancellationToken);
            if (!string.IsNullOrEmpty(_options.User))
            {
                await client.AuthenticateAsync(_options.User, _options.Password ?? string.Empty, cancellationToken);
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }

        _client = client;
        return client;
    }

    /// <summary>TLS is required when asked for: STARTTLS (587, 25), or TLS from the first byte on 465.</summary>
    public static SecureSocketOptions SocketOptions(SmtpOptions options) =>
        !options.UseTls ? SecureSocketOptions.None
        : options.Port == 465 ? SecureSocketOptions.SslOnConnect
        : SecureSocketOptions.StartTls;

    private NoticeSendResult Answer(OutgoingNotice notice, Exception failure)
    {
        // A command refused with 5xx for this recipient or this message would be refused again: give up on it. A 5xx
        // for our sender address or anything else is the relay's or our configuration's problem, which an operator
        // fixes: retried, like every 4xx and every connection, TLS, authentication or timeout failure.
        if (failure is SmtpCommandException { StatusCode: var status, ErrorCode: SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted }
            && (int)status is >= 500 and < 600)
        {
            return NotSendable(notice, $"smtp_{(int)status}");
        }

        var code = failure switch
        {
            SmtpCommandException command => $"smtp_{(int)command.StatusCode}",
            AuthenticationException => "smtp_auth",
            SslHandshakeException => "smtp_tls",
            NotSupportedException => "smtp_no_starttls",
            SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException => "smtp_connection",
            TimeoutException or OperationCanceledException => "smtp_timeout",
            _ => "smtp_error",
        };
        LogRetryLater(notice.Id, notice.Attempt, code, failure.GetType().Name);
        return NoticeSendResult.Retry(code);
    }

    private NoticeSendResult NotSendable(OutgoingNotice notice, string code)
    {
        LogFailed(notice.Id, notice.Attempt, code);
        return NoticeSendResult.Failed(code);
    }

    private static bool IsConnectionFailure(Exception failure) =>
        failure is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException;

    private async Task DropConnectionAsync()
    {
        if (_client is not { } client)
        {
            return;
        }

        _client = null;
        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(quit: true, CancellationToken.None);
            }
        }
        catch (Exception failure) when (failure is IOException or SocketException or SmtpProtocolException or SmtpCommandException or OperationCanceledException or TimeoutException)
        {
            // The connection is being dropped because it failed; saying goodbye on it may fail too.
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered as itself and as INoticeSender, so the container may dispose it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _gate.WaitAsync();
        try
        {
            await DropConnectionAsync();
        }
        finally
        {
            _gate.Release();
            _gate.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email notice {NoticeId} (attempt {Attempt}) not sent, will be retried: {Code} ({Failure}).")]
    private partial void LogRetryLater(Guid noticeId, int attempt, string code, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email notice {NoticeId} (attempt {Attempt}) refused for good: {Code}.")]
    private partial void LogFailed(Guid noticeId, int attempt, string code);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Email notice {NoticeId}: the kept SMTP connection had closed; sending on a new one.")]
    private partial void LogReconnecting(Guid noticeId);
}
