namespace ClinicChat.QuickReplies;

/// <summary>
/// A saved answer staff insert with "/shortcut" in the composer. Clinic-wide ones (no owner) are the clinic's, kept by
/// its Admins; personal ones belong to one staff member and only they see them.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.QuickReply")]
public sealed record QuickReply(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ClinicId,
    [property: Id(2)] string? OwnerId,
    [property: Id(3)] string Shortcut,
    [property: Id(4)] string Text,
    [property: Id(5)] DateTimeOffset UpdatedAt)
{
    public bool Personal => OwnerId is not null;
}

/// <summary>What a staff member typed: the shortcut (a leading "/" is allowed) and the template with its placeholders.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.QuickReplyDraft")]
public sealed record QuickReplyDraft([property: Id(0)] string? Shortcut, [property: Id(1)] string? Text);

/// <summary>
/// A quick reply ready for one thread: its placeholders replaced by the patient's and the clinic's values.
/// <paramref name="Unfilled"/> names the placeholders left as written because the value is unknown (no clinic phone
/// set), so the composer can say what to complete before sending.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.FilledQuickReply")]
public sealed record FilledQuickReply(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Shortcut,
    [property: Id(2)] bool Personal,
    [property: Id(3)] string Text,
    [property: Id(4)] IReadOnlyList<string> Unfilled);

/// <summary>
/// One clinic's quick replies, all in memory (at most a few hundred short texts). Every staff member of the clinic
/// lists the clinic's and their own; clinicians and front desk keep personal ones and insert them in threads; only
/// Admins change the clinic's. Someone outside the clinic finds nothing (audited), a colleague's personal reply is not
/// found either, and a member without the right role is told so (403). Each change commits with its audit row.
/// </summary>
[Alias("ClinicChat.QuickReplies.IQuickRepliesGrain")]
public interface IQuickRepliesGrain : IGrainWithGuidKey
{
    Task<Outcome<IReadOnlyList<QuickReply>>> ListAsync(Actor actor);

    /// <summary>The caller's replies filled in for a patient of this clinic (another clinic's patient is not found).</summary>
    Task<Outcome<IReadOnlyList<FilledQuickReply>>> FillForAsync(Actor actor, Guid patientId);

    Task<Outcome<QuickReply>> CreateAsync(Actor actor, QuickReplyDraft draft, bool personal);

    Task<Outcome<QuickReply>> UpdateAsync(Actor actor, Guid id, QuickReplyDraft draft);

    Task<Outcome<QuickReply>> DeleteAsync(Actor actor, Guid id);
}
