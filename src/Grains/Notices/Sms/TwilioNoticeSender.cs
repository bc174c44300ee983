using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Newtonsoft.Json;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace ClinicChat.Notices.Sms;

/// <summary>
/// SMS notices through Twilio's Messages API, on a client of our own (never the process-wide <c>TwilioClient.Init</c>):
/// the wording is <see cref="NoticeText.Sms"/>, nothing else. Twilio takes no idempotency key on Messages create, so
/// a send that timed out after Twilio accepted it can be sent again by a retry; the outbox row's id rides on the
/// status callback URL instead, so Twilio's reports find the row even before (or without) the SID being stored.
/// Logs carry the notice id, the SID and codes: never the number or the text.
/// </summary>
public sealed partial class TwilioNoticeSender : INoticeSender, IDisposable
{
    private readonly TwilioOptions _options;
    private readonly ILogger<TwilioNoticeSender> _logger;
    private readonly System.Net.Http.HttpClient _http;
    private readonly TwilioRestClient _client;

    public TwilioNoticeSender(IOptions<TwilioOptions> options, ILogger<TwilioNoticeSender> logger)
    {
        _options = options.Value;
        _logger = logger;
        _http = TwilioHttp.CreateClient(_options.BaseUrl);
        _client = new TwilioRestClient(_options.AccountSid, _options.AuthToken, httpClient: new SystemNetHttpClient(_http));
    }

    public NoticeChannel Channel => NoticeChannel.Sms;

    public async Task<NoticeSendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken)
    {
        var message = new CreateMessageOptions(new PhoneNumber(notice.Address))
        {
            Body = NoticeText.Sms(notice),
            StatusCallback = StatusCallbackFor(notice.Id),
        };
        if (!string.IsNullOrEmpty(_options.MessagingServiceSid))
        {
            message.MessagingServiceSid = _options.MessagingServiceSid;
        }
        else
        {
            message.From = new PhoneNumber(_options.From);
        }

        var result = await CreateAsync(message, cancellationToken);
        if (result.Status == NoticeSendStatus.Sent)
        {
            LogSent(notice.Id, result.ProviderMessageId, notice.Attempt);
        }
        else
        {
            LogNotSent(notice.Id, result.Status, result.ErrorCode, notice.Attempt);
        }

        return result;
    }

    private async Task<NoticeSendResult> CreateAsync(CreateMessageOptions message, CancellationToken cancellationToken)
    {
        try
        {
            // The SDK takes no token; the HttpClient's timeout bounds the call, and shutdown stops waiting for it.
            var created = await MessageResource.CreateAsync(message, _client).WaitAsync(cancellationToken);
            return NoticeSendResult.Sent(created.Sid);
        }
        catch (ApiException refused) when (refused.InnerException is JsonException)
        {
            // A 2xx whose body we could not read: Twilio took the message. Retrying would send it twice; the
            // status callback (which carries the notice id) still reports on it.
            return NoticeSendResult.Sent();
        }
        catch (ApiException refused)
        {
            return Classify(refused.Status, refused.Code);
        }
        catch (ApiStandardException refused)
        {
            return Classify(refused.Status, refused.Code);
        }
        catch (ApiConnectionException)
        {
            return NoticeSendResult.Retry("twilio_unreachable");
        }
    }

    /// <summary>
    /// Rate limits and Twilio's own failures pass; any other refusal (21211 invalid number, 21610 the recipient
    /// replied STOP, 21408 region not enabled, 20003 bad credentials …) will be the same on every retry.
    /// </summary>
    internal static NoticeSendResult Classify(int httpStatus, int twilioCode)
    {
        var code = twilioCode != 0 ? $"twilio_{twilioCode}" : $"twilio_http_{httpStatus}";
        return httpStatus switch
        {
            // No status: a non-2xx whose body was not Twilio's error JSON (a proxy's page, say); likely passing.
            0 => NoticeSendResult.Retry("twilio_unreadable_error"),
            (int)HttpStatusCode.TooManyRequests or >= 500 => NoticeSendResult.Retry(code),
            _ => NoticeSendResult.Failed(code),
        };
    }

    private Uri? StatusCallbackFor(Guid noticeId) =>
        _options.StatusCallbackUrl is { Length: > 0 } url
            ? new Uri($"{url}{(url.Contains('?', StringComparison.Ordinal) ? '&' : '?')}{TwilioWebhookPaths.NoticeParameter}={noticeId:D}")
            : null;

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "SMS notice {NoticeId} accepted by Twilio as {MessageSid} (attempt {Attempt}).")]
    private partial void LogSent(Guid noticeId, string? messageSid, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMS notice {NoticeId} not sent: {Status} {ErrorCode} (attempt {Attempt}).")]
    private partial void LogNotSent(Guid noticeId, NoticeSendStatus status, string? errorCode, int attempt);
}
