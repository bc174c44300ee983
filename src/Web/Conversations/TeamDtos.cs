using System.Text.Json.Serialization;
using ClinicChat.Conversations;

namespace ClinicChat.Web.Conversations;

// The team's side of a thread (status, assignee, the lines only staff see). Staff only: none of these ever appears in
// a patient's response or push.

/// <param name="StaffUserId">The colleague to assign the thread to; null unassigns it.</param>
/// <param name="Expected">
/// Optional: the assignment the caller saw (<c>{"staffUserId": null}</c> for unassigned). If the thread is assigned
/// otherwise by now, nothing changes and the answer is 409 <c>assignment_changed</c>.
/// </param>
public sealed record AssigneeRequest(string? StaffUserId, ExpectedPersonDto? Expected = null);

public sealed record ExpectedPersonDto(string? StaffUserId);

/// <param name="Status">open, waiting (on the patient) or closed (done).</param>
public sealed record StatusRequest(string? Status);

/// <param name="Topic">appointments, billing (shared with the clinic's Billing staff), careTeam, or none.</param>
public sealed record TopicRequest(string? Topic);

/// <summary>A colleague as a line names them: an assignee, or a mention.</summary>
public sealed record PersonDto(string UserId, string DisplayName);

/// <param name="Status">open, waiting or closed.</param>
/// <param name="Assignee">Null: unassigned. A colleague whose account is gone shows as "Former colleague".</param>
/// <param name="WaitingSince">The patient's first message no person has answered yet; null when nobody waits.</param>
/// <param name="OverdueAt">In lists only: when that wait passes the clinic's reply target, counted in its office hours.</param>
/// <param name="Topic">appointments, billing or careTeam; null when the thread has none.</param>
public sealed record ThreadTeamDto(string Status, PersonDto? Assignee, DateTimeOffset? WaitingSince = null, DateTimeOffset? OverdueAt = null, string? Topic = null)
{
    public static ThreadTeamDto From(ThreadTeam team) =>
        new(StatusName(team.Status), team.AssigneeId is { } id ? new PersonDto(id, team.AssigneeName ?? "Former colleague") : null, team.WaitingSince, team.OverdueAt,
            TopicName(team.Topic));

    /// <summary>A topic's wire name; null for none.</summary>
    public static string? TopicName(ThreadTopic topic) => topic == ThreadTopic.None ? null : ThreadTopics.WireName(topic);

    public static string StatusName(ThreadStatus status) => status switch
    {
        ThreadStatus.Waiting => "waiting",
        ThreadStatus.Closed => "closed",
        _ => "open",
    };

    /// <summary>A status by its name only; anything else is null (the caller answers 400).</summary>
    public static ThreadStatus? ParseStatus(string? status) => status switch
    {
        "open" => ThreadStatus.Open,
        "waiting" => ThreadStatus.Waiting,
        "closed" => ThreadStatus.Closed,
        _ => null,
    };
}

/// <param name="Kind">assigned, unassigned, status (changed by a colleague), reopened (by the patient's message) or topic.</param>
/// <param name="Status">The thread's status after the change.</param>
/// <param name="Assignee">For assigned: to whom.</param>
/// <param name="Topic">For topic: the thread's topic after it (null: none).</param>
public sealed record TeamChangeDto(string Kind, string Status, PersonDto? Assignee, string? Topic = null)
{
    public static TeamChangeDto From(TeamChange change) => new(
        change.Kind switch
        {
            TeamChangeKind.Assigned => "assigned",
            TeamChangeKind.Unassigned => "unassigned",
            TeamChangeKind.Reopened => "reopened",
            TeamChangeKind.TopicChanged => "topic",
            _ => "status",
        },
        ThreadTeamDto.StatusName(change.Status),
        change.AssigneeId is { } id ? new PersonDto(id, change.AssigneeName ?? "Former colleague") : null,
        change.Kind == TeamChangeKind.TopicChanged ? ThreadTeamDto.TopicName(change.Topic ?? ThreadTopic.None) : null);
}

/// <summary>
/// A line in a thread that only the clinic's staff see. It follows message <c>afterSeq</c> (0: before the first);
/// <c>itemSeq</c> orders a thread's items. <c>kind</c>: change (a system line, see <c>change</c>) or note (<c>text</c>,
/// and the colleagues it <c>mentions</c>).
/// </summary>
public sealed record StaffItemDto(
    Guid ConversationId, long ItemSeq, long AfterSeq, string Kind, string ActorId, string ActorName, DateTimeOffset At, TeamChangeDto? Change, string? Text,
    IReadOnlyList<PersonDto> Mentions)
{
    public static StaffItemDto From(StaffItem item) => new(
        item.ConversationId, item.ItemSeq, item.AfterSeq, item.Kind == StaffItemKind.Note ? "note" : "change", item.ActorId, item.ActorName, item.At,
        item.Change is { } change ? TeamChangeDto.From(change) : null, item.Text, [.. (item.Mentions ?? []).Select(m => new PersonDto(m.UserId, m.DisplayName))]);
}

/// <param name="ClientNoteId">The writer's idempotency key: a retry with the same one returns the note stored first (200).</param>
/// <param name="Mentions">User ids of the colleagues (clinicians and front desk of the clinic) the note names with @.</param>
public sealed record AddNoteRequest(string? ClientNoteId, string? Text, string[]? Mentions = null);

/// <summary>Pushed to a mentioned colleague's own tabs: where, and by whom; never the note's words.</summary>
public sealed record MentionDto(Guid ConversationId, long ItemSeq, string ByName);

/// <summary>Pushed to the clinic's staff: a staff line was added to a thread, and where the thread stands after it.</summary>
public sealed record StaffItemPushDto(StaffItemDto Item, ThreadTeamDto Team);

public sealed record ColleagueDto(string UserId, string DisplayName, IReadOnlyList<string> Roles);

/// <summary>Leaves a property out of the JSON when null: patients' payloads carry no sign of the team's fields.</summary>
internal static class StaffOnly
{
    public const JsonIgnoreCondition WhenAbsent = JsonIgnoreCondition.WhenWritingNull;
}
