namespace ClinicChat.Notices;

/// <summary>
/// One notice_outbox row as a clinic's Admin sees it in Development: what was decided, where it went (masked) and the
/// words its recipient reads (<see cref="Subject"/> for email; <see cref="Text"/> null for a decision that sent nothing).
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.DevelopmentOutboxEntry")]
public sealed record DevelopmentOutboxEntry(
    [property: Id(0)] Guid Id,
    [property: Id(1)] DateTimeOffset DecidedAt,
    [property: Id(2)] NoticeChannel Channel,
    [property: Id(3)] string Template,
    [property: Id(4)] string? MaskedAddress,
    [property: Id(5)] string State,
    [property: Id(6)] string? Subject,
    [property: Id(7)] string? Text);

/// <summary>
/// The development outbox of one clinic (key: clinic id): the notices the app would have sent, for its Admins, so that
/// a developer without SMTP or Twilio sees every notice. Answers not-found outside the Development environment.
/// </summary>
public interface IDevelopmentOutboxGrain : IGrainWithGuidKey
{
    /// <summary>The clinic's latest notices, newest first (at most <see cref="Limit"/>).</summary>
    Task<Outcome<IReadOnlyList<DevelopmentOutboxEntry>>> ListAsync(Actor actor);

    const int Limit = 100;
}
