namespace ClinicChat.Notices;

/// <summary>A notice the dispatcher hands to a channel: where it goes and the few facts its template needs.</summary>
/// <param name="Id">The outbox row's id; also the idempotency key given to providers that take one.</param>
/// <param name="Link">Where the notice leads (sign-in, then the thread); null for templates without one.</param>
/// <param name="Code">A verification code, or the secret token of a one-time link (<see cref="NoticeText.OneTimeLink"/>).</param>
/// <param name="UnsubscribeLink">The page where the recipient turns these notices off (email's List-Unsubscribe).</param>
/// <param name="Attempt">1 for the first try; retries count up.</param>
public sealed record OutgoingNotice(
    Guid Id,
    NoticeChannel Channel,
    string Template,
    string Address,
    string ClinicName,
    string? Link,
    string? Code,
    string? UnsubscribeLink,
    int Attempt);

public enum NoticeSendStatus
{
    Sent,

    /// <summary>A passing failure (connection, 5xx, rate limit): the dispatcher retries with back-off.</summary>
    RetryLater,

    /// <summary>The provider refused for good (bad address, unsubscribed number): no retry.</summary>
    Failed,

    /// <summary>Kept in the development outbox: no provider is configured for the channel (never answered by a sender).</summary>
    Held,
}

/// <param name="ProviderMessageId">The provider's id for the message (Twilio's SID), matched by its status callbacks.</param>
/// <param name="ErrorCode">A short machine code for the log and the outbox row; never the provider's free text.</param>
public sealed record NoticeSendResult(NoticeSendStatus Status, string? ProviderMessageId = null, string? ErrorCode = null)
{
    public static NoticeSendResult Sent(string? providerMessageId = null) => new(NoticeSendStatus.Sent, providerMessageId);

    public static NoticeSendResult Retry(string errorCode) => new(NoticeSendStatus.RetryLater, null, errorCode);

    public static NoticeSendResult Failed(string errorCode) => new(NoticeSendStatus.Failed, null, errorCode);
}

/// <summary>
/// One way out (SMTP, Twilio, …). The one small interface behind which providers are swapped: a sender renders the
/// notice with <see cref="NoticeText"/> and hands it to its provider. It must not throw for provider failures; it
/// answers them as <see cref="NoticeSendResult"/>.
/// </summary>
public interface INoticeSender
{
    NoticeChannel Channel { get; }

    Task<NoticeSendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken);
}
