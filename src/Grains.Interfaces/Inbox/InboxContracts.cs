using ClinicChat.Conversations;

namespace ClinicChat.Inbox;

[GenerateSerializer, Immutable, Alias("ClinicChat.ThreadSummary")]
public sealed record ThreadSummary(
    [property: Id(0)] Guid ConversationId,
    [property: Id(1)] Guid ClinicId,
    [property: Id(2)] string ClinicName,
    [property: Id(3)] Guid PatientId,
    [property: Id(4)] string PatientName,
    [property: Id(5)] long LastSeq,
    [property: Id(6)] DateTimeOffset LastActivityAt,
    [property: Id(7)] string? LastMessagePreview,
    [property: Id(8)] SenderKind? LastSenderKind,
    [property: Id(9)] int UnreadCount,
    [property: Id(10)] bool Archived,
    [property: Id(11)] bool Pinned,
    [property: Id(12)] bool Muted,
    [property: Id(13)] bool PatientHasPortalAccount,
    [property: Id(14)] bool PatientChatOptIn,
    [property: Id(15)] bool PatientOnline = false,
    [property: Id(16)] ThreadTeam? Team = null,
    [property: Id(17)] bool LastAutomatic = false,
    [property: Id(18)] ThreadTopic Topic = ThreadTopic.None);

/// <summary>Which of the clinic's threads a staff member's sidebar lists.</summary>
public enum ThreadList
{
    /// <summary>Not archived and not closed.</summary>
    Inbox = 0,

    /// <summary>Waiting for the clinic: not archived, not closed, and the patient wrote last.</summary>
    NeedsReply = 1,

    /// <summary>Assigned to the caller, not archived, not closed.</summary>
    Mine = 2,

    /// <summary>Assigned to nobody, not archived, not closed.</summary>
    Unassigned = 3,

    /// <summary>Closed (done), not archived.</summary>
    Closed = 4,

    /// <summary>Archived after a year without activity, whatever their status.</summary>
    Archived = 5,
}

[GenerateSerializer, Immutable, Alias("ClinicChat.ThreadQuery")]
public sealed record ThreadQuery(
    [property: Id(0)] ThreadList List,
    [property: Id(1)] string? Search,
    [property: Id(2)] int Limit,
    [property: Id(3)] string? Cursor);

/// <param name="NeedsReply">
/// On a staff member's first page: how many threads of their clinics wait for a reply (the patient wrote last and the
/// thread is neither archived nor closed), whoever has read them, capped at <see cref="ThreadPage.NeedsReplyCap"/>. The same for the
/// whole team: a thread stops waiting when any colleague answers.
/// </param>
[GenerateSerializer, Immutable, Alias("ClinicChat.ThreadPage")]
public sealed record ThreadPage(
    [property: Id(0)] IReadOnlyList<ThreadSummary> Threads,
    [property: Id(1)] string? NextCursor,
    [property: Id(2)] int? NeedsReply = null)
{
    /// <summary>The count stops here; the sidebar shows "999+".</summary>
    public const int NeedsReplyCap = 1000;
}

/// <summary>A staff member's sidebar: the threads of the clinics they chat for, with their own pin/mute flags.</summary>
public interface IStaffInboxGrain : IGrainWithStringKey
{
    Task<Outcome<ThreadPage>> ListThreadsAsync(Actor actor, ThreadQuery query);

    /// <summary>One thread as the sidebar shows it, archived or not.</summary>
    Task<Outcome<ThreadSummary>> GetThreadAsync(Actor actor, Guid conversationId);

    Task<Outcome<bool>> SetPinnedAsync(Actor actor, Guid conversationId, bool pinned);

    Task<Outcome<bool>> SetMutedAsync(Actor actor, Guid conversationId, bool muted);
}

/// <summary>
/// A patient's portal inbox: one thread per clinic, only once it has a message (a thread staff opened
/// and sent nothing into is theirs to come back to, not the patient's).
/// </summary>
public interface IPatientInboxGrain : IGrainWithGuidKey
{
    /// <summary>The patient's threads; <paramref name="archived"/> null lists archived and active alike (patients keep their history).</summary>
    Task<Outcome<ThreadPage>> ListThreadsAsync(Actor actor, bool? archived);

    Task<Outcome<ThreadSummary>> GetThreadAsync(Actor actor, Guid conversationId);
}
