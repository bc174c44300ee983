namespace ClinicChat.Conversations;

/// <summary>Where the clinic stands with a thread. Staff only: a patient never sees it, in any payload.</summary>
public enum ThreadStatus
{
    Open = 0,

    /// <summary>The clinic has done its part and waits on the patient.</summary>
    Waiting = 1,

    /// <summary>Done: out of the Inbox and of "Needs reply" until the patient writes again (which reopens it).</summary>
    Closed = 2,
}

/// <summary>
/// A thread's status and the colleague it is assigned to (null: unassigned). Staff only. <see cref="WaitingSince"/>: the
/// patient's first message no person has answered yet (null: nobody waits); <see cref="EpisodeStarted"/>: the first
/// patient message since the thread was last closed (resolution time runs from it). <see cref="OverdueAt"/> is filled in
/// by the lists only: when the wait passes the clinic's reply target, counted in its office hours.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ThreadTeam")]
public sealed record ThreadTeam(
    [property: Id(0)] ThreadStatus Status,
    [property: Id(1)] string? AssigneeId = null,
    [property: Id(2)] string? AssigneeName = null,
    [property: Id(3)] DateTimeOffset? WaitingSince = null,
    [property: Id(4)] DateTimeOffset? EpisodeStarted = null,
    [property: Id(5)] DateTimeOffset? OverdueAt = null,
    [property: Id(6)] ThreadTopic Topic = ThreadTopic.None)
{
    public static readonly ThreadTeam New = new(ThreadStatus.Open);
}

/// <summary>
/// Who should own a thread. <see cref="Expected"/>, when given, is the assignment the caller saw: if the thread is
/// assigned otherwise by now (a colleague took it a moment ago), nothing changes and the caller is told
/// (<see cref="Access.ChatErrorCode.AssignmentChanged"/>). Without it, the change is made whatever the thread held.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.Assignment")]
public sealed record Assignment([property: Id(0)] string? AssigneeId, [property: Id(1)] ExpectedAssignee? Expected = null);

/// <summary>The assignee the caller saw (null: they saw the thread unassigned).</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.ExpectedAssignee")]
public sealed record ExpectedAssignee([property: Id(0)] string? AssigneeId);

public enum StaffItemKind
{
    /// <summary>A system line: the thread was assigned, unassigned, or its status changed.</summary>
    Change = 0,

    /// <summary>An internal note a colleague wrote.</summary>
    Note = 1,
}

public enum TeamChangeKind
{
    Assigned = 0,
    Unassigned = 1,
    StatusChanged = 2,

    /// <summary>The patient wrote into a thread that was waiting on them or closed: it is open again.</summary>
    Reopened = 3,

    /// <summary>The thread is about another topic now (the patient started a conversation about it, or staff re-routed it).</summary>
    TopicChanged = 4,
}

/// <summary>What a system line says happened; the thread's status after it, and the assignee or topic it named.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.TeamChange")]
public sealed record TeamChange(
    [property: Id(0)] TeamChangeKind Kind,
    [property: Id(1)] ThreadStatus Status,
    [property: Id(2)] string? AssigneeId = null,
    [property: Id(3)] string? AssigneeName = null,
    [property: Id(4)] ThreadTopic? Topic = null);

/// <summary>
/// A line in a thread that only the clinic's staff see. It follows message <see cref="AfterSeq"/> (0: before the first);
/// <see cref="ItemSeq"/> orders the thread's items and has no gaps. Stored apart from messages, so nothing that serves a
/// patient can reach it.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.StaffItem")]
public sealed record StaffItem(
    [property: Id(0)] Guid ConversationId,
    [property: Id(1)] long ItemSeq,
    [property: Id(2)] long AfterSeq,
    [property: Id(3)] StaffItemKind Kind,
    [property: Id(4)] string ActorId,
    [property: Id(5)] string ActorName,
    [property: Id(6)] DateTimeOffset At,
    [property: Id(7)] TeamChange? Change = null,
    [property: Id(8)] string? Text = null,
    [property: Id(9)] IReadOnlyList<Mention>? Mentions = null);

/// <summary>A colleague a note names with @: they are told (a push to their tabs, an email without the note's words).</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.Mention")]
public sealed record Mention([property: Id(0)] string UserId, [property: Id(1)] string DisplayName);

/// <summary>
/// An internal note for the clinic's staff. <see cref="ClientNoteId"/> is the writer's idempotency key, as for messages;
/// <see cref="MentionIds"/> the colleagues (clinicians and front desk of the clinic) it names.
/// </summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.NewNote")]
public sealed record NewNote([property: Id(0)] string ClientNoteId, [property: Id(1)] string Text, [property: Id(2)] IReadOnlyList<string>? MentionIds = null);

/// <summary>The stored note, and whether this call was a retry of an earlier one.</summary>
[GenerateSerializer, Immutable, Alias("ClinicChat.NoteReceipt")]
public sealed record NoteReceipt([property: Id(0)] StaffItem Note, [property: Id(1)] bool WasDuplicate);

/// <summary>What a note must look like: a message's rules for its id and text (a note always has text).</summary>
public static class NoteRules
{
    public const int MaxMentions = 10;

    public static Access.ChatError? Validate(string? clientNoteId, string? text, int mentionCount)
    {
        if ((MessageRules.ClientIdProblem(clientNoteId, "clientNoteId") ?? MessageRules.ContentProblem(text)) is { } invalid)
        {
            return invalid;
        }

        if (!Access.TextInput.IsWellFormed(text!))
        {
            return Access.ChatError.Invalid("text", "text contains characters a note cannot hold.");
        }

        return mentionCount > MaxMentions ? Access.ChatError.Invalid("mentions", $"A note mentions at most {MaxMentions} colleagues.") : null;
    }
}
