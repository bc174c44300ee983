namespace ClinicChat.Notices;

/// <summary>What to answer an inbound SMS with: <c>null</c> answers nothing (an empty TwiML response).</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.SmsReply")]
public sealed record SmsReply([property: Id(0)] string? Message)
{
    public static readonly SmsReply None = new((string?)null);
}

/// <summary>
/// One mobile number (key: E.164, as the provider reports the sender): the single writer of its STOP/START state, so
/// two keywords from the same phone never race. A change and its audit rows (on the chain of every clinic whose
/// patients verified that number) are one commit.
/// </summary>
public interface ISmsNumberGrain : IGrainWithStringKey
{
    /// <summary>
    /// An inbound text from this number. STOP and its synonyms turn SMS notices off for the number, START turns them
    /// back on, HELP is answered with the help line; anything else is not taken (replies by SMS are not a channel).
    /// </summary>
    Task<SmsReply> ReceiveAsync(string body);
}

/// <summary>A provider's report on a sent notice (Twilio's status callback), as the webhook read it.</summary>
/// <param name="ProviderMessageId">The provider's id of the message (Twilio's MessageSid).</param>
/// <param name="Status">The provider's status name, lower case (queued, sent, delivered, undelivered, failed, …).</param>
/// <param name="ErrorCode">The provider's numeric error code, when it gave one.</param>
/// <param name="NoticeId">The outbox row's id, carried on the callback URL: found even before the provider id is stored.</param>
[GenerateSerializer, Immutable, Alias("ClinicChat.DeliveryReport")]
public sealed record DeliveryReport(
    [property: Id(0)] string ProviderMessageId,
    [property: Id(1)] string Status,
    [property: Id(2)] string? ErrorCode,
    [property: Id(3)] Guid? NoticeId);

/// <summary>Records providers' delivery reports on the outbox rows they concern; stateless, any activation will do.</summary>
public interface INoticeDeliveryGrain : IGrainWithIntegerKey
{
    /// <summary>False when no outbox row matches (an unknown or foreign message): nothing is written.</summary>
    Task<bool> ReportAsync(DeliveryReport report);
}

/// <summary>Where Twilio calls us: the sender builds its status callback URL from these, the web tier maps them.</summary>
public static class TwilioWebhookPaths
{
    /// <summary>Inbound messages (STOP, START, HELP): set on the number or Messaging Service in the Twilio console.</summary>
    public const string Inbound = "/webhooks/twilio/inbound";

    /// <summary>Delivery reports: sent as each message's StatusCallback.</summary>
    public const string Status = "/webhooks/twilio/status";

    /// <summary>The query parameter of <see cref="Status"/> naming the outbox row a report is about.</summary>
    public const string NoticeParameter = "notice";
}
