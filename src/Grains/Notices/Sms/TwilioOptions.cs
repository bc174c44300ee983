namespace ClinicChat.Notices.Sms;

/// <summary>SMS through Twilio's Messages API: <c>ClinicChat:Sms:Twilio</c>. Unset <see cref="AccountSid"/> means no SMS channel.</summary>
public sealed class TwilioOptions
{
    public const string Section = "ClinicChat:Sms:Twilio";

    public string? AccountSid { get; set; }

    /// <summary>Authenticates our API calls and is the key Twilio signs its webhooks with: a secret (a key-per-file secret in production).</summary>
    public string? AuthToken { get; set; }

    /// <summary>The sending number (E.164). Exactly one of this and <see cref="MessagingServiceSid"/>.</summary>
    public string? From { get; set; }

    /// <summary>A Messaging Service (MG…) that picks the sending number. Exactly one of this and <see cref="From"/>.</summary>
    public string? MessagingServiceSid { get; set; }

    /// <summary>Where API calls go instead of https://api.twilio.com (a local endpoint in tests: http://127.0.0.1:PORT).</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Our status webhook as Twilio must call it; default: the public base URL + <see cref="TwilioWebhookPaths.Status"/>. None: no delivery reports.</summary>
    public string? StatusCallbackUrl { get; set; }

    /// <summary>
    /// The address people reach the app at (<see cref="NoticeServices.PublicBaseUrl"/>): the HELP answer's link and the
    /// status callback's base. Resolved at start-up from those settings.
    /// </summary>
    public string? PublicBaseUrl { get; set; }
}
