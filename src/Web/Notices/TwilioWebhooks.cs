using System.Globalization;
using ClinicChat.Hosting;
using ClinicChat.Notices;
using Twilio.TwiML;

namespace ClinicChat.Web.Notices;

/// <summary>
/// Twilio's calls to us: inbound texts (STOP, START, HELP) and delivery reports. Anonymous and form-encoded, so outside
/// /api (no cookie, no CSRF header: Twilio has neither); what vouches for a call is its <see cref="TwilioSignature"/>,
/// checked before anything is read or changed: missing or wrong → 403 <c>webhook_signature_invalid</c>. What a call
/// changes, the grains decide and audit; these endpoints only translate. Not in the OpenAPI document: Twilio's
/// contract, not ours.
/// </summary>
public static partial class TwilioWebhooks
{
    private const string TwiMLType = "application/xml";

    /// <summary>The signature check, and (outside Development) a refusal to start a node that could check none.</summary>
    public static IServiceCollection AddTwilioWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TwilioSignature.From(configuration));
        services.AddRequiredSetting<TwilioWebhookSetting>();
        return services;
    }

    public static WebApplication MapTwilioWebhooks(this WebApplication app)
    {
        var webhooks = app.MapGroup(string.Empty).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        webhooks.MapPost(TwilioWebhookPaths.Inbound, InboundAsync);
        webhooks.MapPost(TwilioWebhookPaths.Status, StatusAsync);
        return app;
    }

    /// <summary>Answers TwiML: the HELP line as a &lt;Message&gt;, else an empty &lt;Response/&gt; (Twilio confirms STOP and START itself).</summary>
    private static async Task<IResult> InboundAsync(HttpContext http, TwilioSignature signature, IGrainFactory grains, ILoggerFactory loggers)
    {
        if (await signature.ReadSignedFormAsync(http.Request) is not { } form)
        {
            return Refused(loggers, http);
        }

        var reply = SmsReply.None;
        if (form["From"].ToString() is { Length: > 0 } from)
        {
            reply = await grains.GetGrain<ISmsNumberGrain>(from).ReceiveAsync(form["Body"].ToString());
        }

        var response = new MessagingResponse();
        if (reply.Message is { } message)
        {
            response.Message(message);
        }

        return TypedResults.Content(response.ToString(), TwiMLType);
    }

    /// <summary>200 whether or not the message is ours: anything else makes Twilio retry a report we cannot use.</summary>
    private static async Task<IResult> StatusAsync(HttpContext http, TwilioSignature signature, IGrainFactory grains, ILoggerFactory loggers)
    {
        if (await signature.ReadSignedFormAsync(http.Request) is not { } form)
        {
            return Refused(loggers, http);
        }

        var sid = form["MessageSid"].ToString();
        var status = form["MessageStatus"].ToString().ToLowerInvariant();
        if (sid.Length > 0 && status.Length > 0)
        {
            Guid? noticeId = Guid.TryParse(http.Request.Query[TwilioWebhookPaths.NoticeParameter], CultureInfo.InvariantCulture, out var id) ? id : null;
            var errorCode = form["ErrorCode"].ToString() is { Length: > 0 } code ? code : null;
            var matched = await grains.GetGrain<INoticeDeliveryGrain>(0).ReportAsync(new DeliveryReport(sid, status, errorCode, noticeId));
            if (!matched)
            {
                LogUnknownMessage(Logger(loggers), sid);
            }
        }

        return TypedResults.Ok();
    }

    private static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger(typeof(TwilioWebhooks));

    private static IResult Refused(ILoggerFactory loggers, HttpContext http)
    {
        LogRefused(Logger(loggers), http.Request.Path);
        return ApiProblems.Problem(ApiErrors.WebhookSignatureInvalid, "Not allowed.", $"The request carries no valid {TwilioSignature.Header}.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio webhook {Path} refused: signature missing or invalid.")]
    private static partial void LogRefused(ILogger logger, PathString path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Twilio delivery report for {MessageSid}, which is no notice of ours: ignored.")]
    private static partial void LogUnknownMessage(ILogger logger, string messageSid);
}

/// <summary>
/// A web node of a deployment that sends SMS checks Twilio's signatures: without the Auth Token, or without the public
/// address Twilio signs, every STOP and delivery report would be refused. (Silos check their own Twilio settings.)
/// </summary>
public sealed class TwilioWebhookSetting(IConfiguration configuration) : IRequiredSetting
{
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(configuration[TwilioSignature.AccountSidKey]))
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(configuration[TwilioSignature.AuthTokenKey]))
        {
            yield return $"{TwilioSignature.AuthTokenKey} is not set on this web node: Twilio's webhooks (STOP, delivery reports) are checked with it. " +
                "Set the same Auth Token as on the silos (a key-per-file secret ClinicChat__Sms__Twilio__AuthToken).";
        }

        if (TwilioSignature.PublicBaseUrl(configuration) is null)
        {
            yield return "ClinicChat:Notifications:PublicBaseUrl is not set on this web node: Twilio signs the public URL it calls, so the webhooks " +
                "are checked against it (e.g. https://chat.example-clinic.com).";
        }
    }
}
